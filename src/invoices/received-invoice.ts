import { compareDates, isCalendarDate, type CalendarDate } from '../common/time/calendar-date';
import { DATE_WINDOW } from '../common/time/date-window';
import { fault, type IntakeFault } from './intake-fault';
import type { InvoiceLineInput } from './invoice-validation.rules';
import { isInvoiceNumber } from './invoice-number.rules';
import { MAX_AMOUNT_ORE, type ContactForm, type ParsedInvoice, type ParsedTotals, type TransportKind } from './parsed-invoice';

/**
 * A received invoice (modtaget faktura): what intake hands to validation, whatever the format it came in (the
 * portal's form or JSON, CSV, UBL) or a partner company's month of registered hours. Nothing on it is missing:
 * every line names a grant, a day the portal holds and whole minutes of one day, and its rate and amount are
 * whole øre in range; the invoiced period is known. Business rules (the grant, the week, the rate, the ceiling,
 * duplicates, totals, minimum contact) are validation's, not this type's.
 */
export interface ReceivedLine {
  /** The line's number on the invoice, from 1. */
  lineNo: number;
  /** As the supplier quoted it; validation finds whether it is one of the supplier's grants. */
  grantReference: string;
  date: CalendarDate;
  /** The last day of the period a monthly line covers (its date is the first); absent or null on a line of one day. */
  periodTo?: CalendarDate | null;
  /** 1 to 1440. */
  minutes: number;
  /** Per hour, excl. VAT, 0 to MAX_AMOUNT_ORE. */
  rateOre: number;
  /** Excl. VAT, 0 to MAX_AMOUNT_ORE (a credit note's lines too: the document type gives the sign). */
  amountOre: number;
  contactForm: ContactForm | null;
  transport: TransportKind | null;
  description: string | null;
  /** Set on the lines a monthly line became when it was matched against the session log (session-log.rules.ts). */
  fromLog?: InvoiceLineInput['fromLog'];
  /** An hour registration's employee with the rate in force on the day. */
  employee?: InvoiceLineInput['employee'];
}

export type InvoiceSource = 'portal' | 'csv' | 'ubl' | 'registration';

export interface ReceivedInvoice {
  source: InvoiceSource;
  documentType: 'invoice' | 'credit_note';
  invoiceNumber: string;
  issueDate: CalendarDate;
  currency: 'DKK';
  /** Who the document says sent it (an e-invoice's seller); who did is decided by who sends it. */
  seller: { cvr: string | null; gln: string | null; name: string | null };
  /** An e-invoice's order reference and buyer, checked against the buyer's location numbers and the supplier's grants. */
  orderReference?: string | null;
  buyer?: ParsedInvoice['buyer'];
  /** As the invoice states it, or from its first to its last session. */
  period: { from: CalendarDate; to: CalendarDate };
  lines: ReceivedLine[];
  /** Net, VAT and total as sent, when the format carries them. */
  totals: ParsedTotals | null;
  /** A credit note's references to the invoice numbers it credits. */
  billingReferences: string[];
}

export type ReceiveResult = { ok: true; invoice: ReceivedInvoice } | { ok: false; faults: IntakeFault[] };

/** The most lines one invoice holds, in every format. */
export const MAX_INVOICE_LINES = 10_000;
export const MAX_GRANT_REFERENCE_LENGTH = 60;
export const MAX_DESCRIPTION_LENGTH = 500;
const MAX_FAULTS = 200;

const SOURCE_OF: Record<ParsedInvoice['source'], InvoiceSource> = { json: 'portal', csv: 'csv', ubl: 'ubl' };

// Whole øre within ±MAX_AMOUNT_ORE: the sums of up to 10,000 of them stay safe integers.
const isAmount = (ore: number): boolean => Number.isSafeInteger(ore) && Math.abs(ore) <= MAX_AMOUNT_ORE;

// A calendar date (checked before) inside the days the portal holds; such dates order as their text.
const isInDateWindow = (date: CalendarDate): boolean => date >= DATE_WINDOW.from && date <= DATE_WINDOW.to;

function dateWindowFault(field: string, date: CalendarDate): IntakeFault {
  return fault('date_window', field, { date, from: DATE_WINDOW.from, to: DATE_WINDOW.to });
}

/**
 * The one check of a received invoice, after any format's parser: what a parser may leave open (a line of an
 * e-invoice without a grant reference, a date or minutes, a negative amount in a CSV cell, a date the portal does
 * not hold, the currency, the invoice number rule of every door) is a fault here, each with its code, and the
 * rest becomes a ReceivedInvoice. `today` refuses an issue date in the future. Pure.
 */
export function receiveInvoice(parsed: ParsedInvoice, today: CalendarDate): ReceiveResult {
  const faults: IntakeFault[] = [];
  if (parsed.currency !== 'DKK') faults.push(fault('currency_dkk', 'currency', { currency: parsed.currency }));
  if (!isInvoiceNumber(parsed.invoiceNumber)) faults.push(fault('invoice_number_format', 'invoiceNumber'));
  if (!isCalendarDate(parsed.issueDate)) faults.push(fault('issue_date_format', 'issueDate', { value: parsed.issueDate }));
  else if (compareDates(parsed.issueDate, today) > 0) faults.push(fault('issue_date_in_future', 'issueDate', { issueDate: parsed.issueDate }));
  else if (!isInDateWindow(parsed.issueDate)) faults.push(dateWindowFault('issueDate', parsed.issueDate));
  for (const [field, date] of [
    ['periodFrom', parsed.periodFrom],
    ['periodTo', parsed.periodTo],
  ] as const) {
    if (isCalendarDate(date) && !isInDateWindow(date)) faults.push(dateWindowFault(field, date));
  }
  if (parsed.lines.length === 0) faults.push(fault('no_lines', 'lines'));
  if (parsed.lines.length > MAX_INVOICE_LINES) faults.push(fault('too_many_lines', 'lines', { lines: parsed.lines.length, max: MAX_INVOICE_LINES }));
  const lines: ReceivedLine[] = [];
  for (const line of parsed.lines) {
    const at = `lines[${line.lineNo}]`;
    const { grantReference, date, minutes } = line;
    if (!grantReference) faults.push(fault('grant_reference_missing', `${at}.grantReference`, {}, line.lineNo));
    else if (grantReference.length > MAX_GRANT_REFERENCE_LENGTH) faults.push(fault('grant_reference_too_long', `${at}.grantReference`, {}, line.lineNo));
    if (!isCalendarDate(date)) faults.push(fault('session_date_missing', `${at}.date`, {}, line.lineNo));
    else if (!isInDateWindow(date)) faults.push(dateWindowFault(`${at}.date`, date));
    if (minutes === null) faults.push(fault('minutes_missing', `${at}.minutes`, { minutes: null }, line.lineNo));
    else if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > 1440) faults.push(fault('minutes_in_day', `${at}.minutes`, { minutes }, line.lineNo));
    if (!isAmount(line.rateOre) || line.rateOre < 0) faults.push(fault('rate_range', `${at}.rateOre`, { max: MAX_AMOUNT_ORE }, line.lineNo));
    if (!isAmount(line.amountOre) || line.amountOre < 0) faults.push(fault('amount_range', `${at}.amountOre`, { max: MAX_AMOUNT_ORE }, line.lineNo));
    if (line.description !== null && line.description.length > MAX_DESCRIPTION_LENGTH) {
      faults.push(fault('description_too_long', `${at}.description`, { length: line.description.length }, line.lineNo));
    }
    // Once anything is refused the answer is the faults; every line is still looked at for its own.
    if (faults.length > 0) continue;
    const periodTo = isCalendarDate(line.periodTo) && isInDateWindow(line.periodTo) && (line.periodTo as string) > (date as string) ? line.periodTo : null;
    lines.push({
      lineNo: line.lineNo,
      grantReference: grantReference as string,
      date: date as CalendarDate,
      ...(periodTo ? { periodTo } : {}),
      minutes: minutes as number,
      rateOre: line.rateOre,
      amountOre: line.amountOre,
      contactForm: line.contactForm,
      transport: line.transport ?? null,
      description: line.description,
    });
  }
  if (parsed.totals && ![parsed.totals.netOre, parsed.totals.vatOre, parsed.totals.totalOre].every(isAmount)) {
    faults.push(fault('totals_range', 'totals', { max: MAX_AMOUNT_ORE }));
  }
  if (faults.length > 0) return { ok: false, faults: faults.slice(0, MAX_FAULTS) };
  return {
    ok: true,
    invoice: {
      source: SOURCE_OF[parsed.source],
      documentType: parsed.documentType,
      invoiceNumber: parsed.invoiceNumber,
      issueDate: parsed.issueDate,
      currency: 'DKK',
      seller: parsed.seller,
      ...(parsed.source === 'ubl' ? { orderReference: parsed.orderReference, buyer: parsed.buyer ?? { endpoint: null, reference: null } } : {}),
      period: invoicedPeriod({ from: parsed.periodFrom, to: parsed.periodTo }, lines),
      lines,
      totals: parsed.totals,
      billingReferences: parsed.billingReferences,
    },
  };
}

/** The invoiced period: as the invoice states it, or from its first session to its last (or the end of a line's period; an invoice has at least one line). */
export function invoicedPeriod(stated: { from: string | null; to: string | null }, lines: ReadonlyArray<{ date: CalendarDate; periodTo?: CalendarDate | null }>): { from: CalendarDate; to: CalendarDate } {
  if (stated.from && stated.to && isCalendarDate(stated.from) && isCalendarDate(stated.to) && compareDates(stated.from, stated.to) <= 0) return { from: stated.from, to: stated.to };
  // Dates as 'YYYY-MM-DD' order as their text.
  let from = lines[0].date;
  let to = from;
  for (const line of lines) {
    if (line.date < from) from = line.date;
    if (line.date > to) to = line.date;
    if (line.periodTo && line.periodTo > to) to = line.periodTo;
  }
  return { from, to };
}
