import type { ErrorDetail } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';

/**
 * The days a partner company can register a session on: one that has happened (not after today) and in the
 * grant (not before its start). A session after the grant's end stays a finding (date_outside_grant), as on
 * an invoice, since the grant may still be extended. Pure.
 */
export function registrationDateProblems(date: CalendarDate, context: { today: CalendarDate; grantStart: CalendarDate }): ErrorDetail[] {
  if (compareDates(date, context.today) > 0) {
    return [{ field: 'date', rule: 'not_in_future', message: `the session on ${date} lies after today (${context.today})`, values: { date, today: context.today } }];
  }
  if (compareDates(date, context.grantStart) < 0) {
    return [{ field: 'date', rule: 'before_grant', message: `the session on ${date} lies before the grant starts (${context.grantStart})`, values: { date, start: context.grantStart } }];
  }
  return [];
}
