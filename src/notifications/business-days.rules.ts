import Holidays from 'date-holidays';
import { addDays, compareDates, isoDayOfWeek, type CalendarDate } from '../common/time/calendar-date';

// Denmark's public holidays (date-holidays' calendar), and the days the municipality and the banks close
// besides: Constitution Day, Christmas Eve and New Year's Eve.
const denmark = new Holidays('DK');
const CLOSED_DAYS = new Set(['06-05', '12-24', '12-31']);
const holidaysByYear = new Map<number, Set<CalendarDate>>();

function holidaysOf(year: number): Set<CalendarDate> {
  let days = holidaysByYear.get(year);
  if (!days) {
    days = new Set(denmark.getHolidays(year).filter((h) => h.type === 'public' || h.type === 'bank').map((h) => h.date.slice(0, 10)));
    holidaysByYear.set(year, days);
  }
  return days;
}

/** Monday to Friday, not a Danish public holiday and not a day the offices close. Pure. */
export function isBusinessDay(date: CalendarDate): boolean {
  if (isoDayOfWeek(date) > 5) return false;
  if (CLOSED_DAYS.has(date.slice(5))) return false;
  return !holidaysOf(Number(date.slice(0, 4))).has(date);
}

/** The business days after `from` up to and including `to`; 0 when `to` is not after `from`. */
export function businessDaysUntil(from: CalendarDate, to: CalendarDate): number {
  let count = 0;
  for (let day = addDays(from, 1); compareDates(day, to) <= 0; day = addDays(day, 1)) if (isBusinessDay(day)) count += 1;
  return count;
}

/** Payment is due at most this many days after an invoice is received. */
export const PAYMENT_TERM_DAYS = 30;
/** Finance is warned when this many business days or fewer are left of the term. */
export const PAYMENT_TERM_WARNING_BUSINESS_DAYS = 5;

/** The last day of an invoice's payment term and the business days left of it today. */
export function paymentTerm(receivedOn: CalendarDate, today: CalendarDate): { termEndsOn: CalendarDate; businessDaysLeft: number; warn: boolean } {
  const termEndsOn = addDays(receivedOn, PAYMENT_TERM_DAYS);
  const businessDaysLeft = businessDaysUntil(today, termEndsOn);
  return { termEndsOn, businessDaysLeft, warn: businessDaysLeft <= PAYMENT_TERM_WARNING_BUSINESS_DAYS };
}
