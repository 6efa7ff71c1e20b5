import type { ErrorDetail } from '../common/errors/domain.exception';
import { compareDates, firstDayOfMonth, lastDayOfMonth, type CalendarDate, type CalendarMonth } from '../common/time/calendar-date';
import type { ContactForm, TransportKind } from './parsed-invoice';
import type { ReceivedInvoice } from './received-invoice';

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

/** The self-billing invoice of a partner company for a month; its number says what it is. */
export const selfBillingNumber = (month: CalendarMonth): string => `SB-${month}`;

/** A registered session, as its month's draft holds it. */
export interface RegisteredSession {
  lineNo: number;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  rateOre: number;
  amountOre: number;
  contactForm: ContactForm | null;
  transport: TransportKind | null;
  description: string | null;
  employeeRef?: string | null;
  employeeRateOre?: number | null;
}

/**
 * A month's registered sessions as a received invoice, issued on `issueDate`: the same business rules and the same
 * persist step as an invoice sent then take it. Its totals are its lines' (it states none). Pure.
 */
export function monthAsReceivedInvoice(month: CalendarMonth, issueDate: CalendarDate, sessions: readonly RegisteredSession[]): ReceivedInvoice {
  return {
    source: 'registration',
    documentType: 'invoice',
    invoiceNumber: selfBillingNumber(month),
    issueDate,
    currency: 'DKK',
    seller: { cvr: null, gln: null, name: null },
    period: { from: firstDayOfMonth(month), to: lastDayOfMonth(month) },
    lines: sessions.map((s) => ({
      lineNo: s.lineNo,
      grantReference: s.grantReference,
      date: s.date,
      minutes: s.minutes,
      rateOre: s.rateOre,
      amountOre: s.amountOre,
      contactForm: s.contactForm,
      transport: s.transport,
      description: s.description,
      ...(s.employeeRef && s.employeeRateOre ? { employee: { ref: s.employeeRef, rateOre: s.employeeRateOre } } : {}),
    })),
    totals: null,
    billingReferences: [],
  };
}
