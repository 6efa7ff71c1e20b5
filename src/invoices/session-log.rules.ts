import type { ErrorDetail } from '../common/errors/domain.exception';
import { isCalendarDate, type CalendarDate } from '../common/time/calendar-date';
import { DATE_WINDOW } from '../common/time/date-window';
import { splitCsv } from './csv-invoice.parser';
import { lineAmountOre } from './invoice-amounts';
import { CONTACT_FORMS, GRANT_REFERENCE, type ContactForm } from './parsed-invoice';
import type { ReceivedInvoice, ReceivedLine } from './received-invoice';

/**
 * The session log (sessionslog): the mentor sessions a supplier records as they are held, before any invoice,
 * and how a monthly invoice line is matched against them. Pure: no clock, no store.
 *
 * A logged session is invoiced while the delivery it became is neither rejected nor credited; until then it
 * can be changed or removed. "With whom" is a fixed list, so no name or CPR number can be typed into the log.
 */

export const WITH_WHOM = ['citizen', 'citizen_and_employer', 'citizen_and_network', 'employer_or_network'] as const;
export type WithWhom = (typeof WITH_WHOM)[number];

/** The largest session log file read at once, in bytes, and its most rows. */
export const SESSION_CSV_MAX_BYTES = 512 * 1024;
export const SESSION_CSV_MAX_ROWS = 2_000;

/** A session as the supplier gives it, before it is checked. */
export interface SessionInput {
  date: unknown;
  minutes: unknown;
  contactForm: unknown;
  withWhom: unknown;
}

export interface SessionFields {
  date: CalendarDate;
  minutes: number;
  contactForm: ContactForm;
  withWhom: WithWhom;
}

/** What a session is checked against: today, and the grant it is logged on. */
export interface SessionContext {
  today: CalendarDate;
  grantStart: CalendarDate;
  grantEnd: CalendarDate;
}

/**
 * The problems of one session's fields (each naming its field, `prefix` before it), or its checked fields: a day
 * that has happened and lies in the grant's period, 1 to 1440 whole minutes, a contact form and with whom.
 */
export function checkSession(input: SessionInput, context: SessionContext, prefix = ''): { ok: true; session: SessionFields } | { ok: false; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const { date, minutes, contactForm, withWhom } = input;
  if (typeof date !== 'string' || !isCalendarDate(date) || date < DATE_WINDOW.from || date > DATE_WINDOW.to) {
    problems.push({ field: `${prefix}date`, rule: 'date_format', message: 'the date must be a date YYYY-MM-DD', values: { value: typeof date === 'string' ? date.slice(0, 40) : null } });
  } else if (date > context.today) {
    problems.push({ field: `${prefix}date`, rule: 'not_in_future', message: `the session on ${date} lies after today (${context.today})`, values: { date, today: context.today } });
  } else if (date < context.grantStart || date > context.grantEnd) {
    problems.push({ field: `${prefix}date`, rule: 'session_in_grant', message: `the session on ${date} lies outside the grant period ${context.grantStart} to ${context.grantEnd}`, values: { date, start: context.grantStart, end: context.grantEnd } });
  }
  if (typeof minutes !== 'number' || !Number.isSafeInteger(minutes) || minutes < 1 || minutes > 1440) {
    problems.push({ field: `${prefix}minutes`, rule: 'minutes_in_day', message: 'minutes must be a whole number from 1 to 1440', values: { minutes: typeof minutes === 'number' ? minutes : null } });
  }
  if (typeof contactForm !== 'string' || !(CONTACT_FORMS as readonly string[]).includes(contactForm)) {
    problems.push({ field: `${prefix}contactForm`, rule: 'contact_form', message: `the contact form must be one of ${CONTACT_FORMS.join(', ')}` });
  }
  if (typeof withWhom !== 'string' || !(WITH_WHOM as readonly string[]).includes(withWhom)) {
    problems.push({ field: `${prefix}withWhom`, rule: 'with_whom', message: `with whom must be one of ${WITH_WHOM.join(', ')}` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, session: { date: date as CalendarDate, minutes: minutes as number, contactForm: contactForm as ContactForm, withWhom: withWhom as WithWhom } };
}

// ---- the CSV file of sessions ----

const COLUMNS: Record<string, 'grantReference' | 'date' | 'minutes' | 'contactForm' | 'withWhom'> = {
  grant_reference: 'grantReference',
  bevilling: 'grantReference',
  date: 'date',
  dato: 'date',
  minutes: 'minutes',
  minutter: 'minutes',
  contact_form: 'contactForm',
  kontaktform: 'contactForm',
  with_whom: 'withWhom',
  med_hvem: 'withWhom',
};

const CONTACT_FORM_WORDS: Record<string, ContactForm> = { in_person: 'in_person', fremmøde: 'in_person', personligt: 'in_person', phone: 'phone', telefon: 'phone', video: 'video' };
const WITH_WHOM_WORDS: Record<string, WithWhom> = {
  citizen: 'citizen',
  borger: 'citizen',
  citizen_and_employer: 'citizen_and_employer',
  'borger og arbejdsgiver': 'citizen_and_employer',
  citizen_and_network: 'citizen_and_network',
  'borger og netværk': 'citizen_and_network',
  employer_or_network: 'employer_or_network',
  'arbejdsgiver eller netværk': 'employer_or_network',
};

/** One row of a session log file, as read (its checks against the grant come later). */
export interface SessionCsvRow {
  /** The row's number in the file, the header being row 1. */
  rowNo: number;
  grantReference: string;
  input: SessionInput;
}

/**
 * A session log file (";" or "," separated, header row with the columns bevilling|grant_reference,
 * dato|date, minutter|minutes, kontaktform|contact_form, med_hvem|with_whom) → its rows, or its problems, each
 * naming its row (`rows[N].field`). A cell starting with = + - @ is refused (spreadsheet formulas).
 */
export function parseSessionCsv(text: string): { ok: true; rows: SessionCsvRow[] } | { ok: false; problems: ErrorDetail[] } {
  const separator = /^[^\r\n]*;/.test(text) ? 59 : 44;
  const { records, tooMany } = splitCsv(text, separator, SESSION_CSV_MAX_ROWS + 1);
  if (tooMany) return { ok: false, problems: [{ field: 'file', rule: 'max_lines', message: `the file has more than ${SESSION_CSV_MAX_ROWS} sessions`, values: { max: SESSION_CSV_MAX_ROWS } }] };
  if (records.length < 2) return { ok: false, problems: [{ field: 'file', rule: 'no_lines', message: 'the file holds no sessions under its header row' }] };
  const header = records[0].cells.map((cell) => COLUMNS[cell.trim().toLowerCase()]);
  const missing = (['grantReference', 'date', 'minutes', 'contactForm', 'withWhom'] as const).filter((column) => !header.includes(column));
  if (missing.length > 0) return { ok: false, problems: missing.map((column) => ({ field: `columns.${column}`, rule: 'required', message: `the header row lacks the column ${column}` })) };
  const problems: ErrorDetail[] = [];
  const rows: SessionCsvRow[] = [];
  for (const record of records.slice(1)) {
    const cell = (column: string): string => (record.cells[header.indexOf(column as never)] ?? '').trim();
    const at = `rows[${record.rowNo}].`;
    if (record.cells.some((c) => /^[=+\-@]/.test(c.trim()))) {
      problems.push({ field: `${at}row`, rule: 'formula', message: 'a cell starts with a formula character (= + - @)', values: { row: record.rowNo } });
      continue;
    }
    const grantReference = cell('grantReference');
    if (!GRANT_REFERENCE.test(grantReference)) problems.push({ field: `${at}grantReference`, rule: 'grant_reference_format', message: 'the grant reference must look like MS-2026-000123', values: { row: record.rowNo } });
    const minutesText = cell('minutes');
    rows.push({
      rowNo: record.rowNo,
      grantReference,
      input: {
        date: cell('date'),
        minutes: /^\d{1,5}$/.test(minutesText) ? Number(minutesText) : minutesText === '' ? null : Number.NaN,
        contactForm: CONTACT_FORM_WORDS[cell('contactForm').toLowerCase()] ?? cell('contactForm'),
        withWhom: WITH_WHOM_WORDS[cell('withWhom').toLowerCase()] ?? cell('withWhom'),
      },
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, rows };
}

/** Rows of one file that name the same grant, day and minutes: every one after the first is a duplicate. */
export function duplicateRows(rows: ReadonlyArray<{ rowNo: number; grantReference: string; session: SessionFields }>): ErrorDetail[] {
  const seen = new Map<string, number>();
  const problems: ErrorDetail[] = [];
  for (const row of rows) {
    const key = `${row.grantReference}|${row.session.date}|${row.session.minutes}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row.rowNo);
    else problems.push({ field: `rows[${row.rowNo}].date`, rule: 'session_duplicate', message: `the session is the same as row ${first}'s`, values: { date: row.session.date, minutes: row.session.minutes, row: first } });
  }
  return problems;
}

// ---- matching an invoice line that covers a period ----

/** A logged session, as matching reads it. */
export interface LoggedSession {
  id: string;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  contactForm: ContactForm;
  /** Invoiced already (its delivery neither rejected nor credited): it still makes a log, but is not invoiced again. */
  invoiced: boolean;
}

/** A line of the invoice after matching: with the logged session it covers, if any (`fromLog` says how it was split). */
export interface MatchedLine extends ReceivedLine {
  mentorSessionId: string | null;
}

/** Whether a line covers a period (a monthly line), rather than one day. */
export const coversPeriod = (line: ReceivedLine): boolean => line.periodTo !== undefined && line.periodTo !== null && line.periodTo > line.date;

/**
 * The invoice's lines with each line that covers a period matched against the log of its grant: the sessions
 * logged in the line's period (in date order, those not invoiced yet) become one line each, so each ISO week of
 * the log is checked against that week's granted minutes; minutes the line invoices beyond what the log holds
 * become lines of their own, each at most a day's 1440 minutes, dated on the last logged day, which are not
 * approvable. A line whose grant has no session logged in its period stays as it is (placed on its first day),
 * and so does every one-day line. The amount of a split line is kept: its parts carry minutes × rate, the last the
 * rest, so the invoice's sums do not change. Lines are numbered again from 1 in order. `logged` holds the
 * sessions of the invoice's grants in its lines' periods, invoiced or not: a log used up by an earlier invoice
 * is still a log, and what a line invoices beyond it is not approvable. Pure.
 */
export function matchSessionLog(invoice: ReceivedInvoice, logged: readonly LoggedSession[]): MatchedLine[] {
  const free = [...logged].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  const used = new Set<string>();
  const out: MatchedLine[] = [];
  const plain = (line: ReceivedLine): MatchedLine => ({ ...line, mentorSessionId: null });
  for (const line of invoice.lines) {
    if (invoice.documentType !== 'invoice' || !coversPeriod(line)) {
      out.push(plain(line));
      continue;
    }
    const to = line.periodTo as CalendarDate;
    const ofPeriod = free.filter((s) => s.grantReference === line.grantReference && s.date >= line.date && s.date <= to);
    if (ofPeriod.length === 0) {
      out.push(plain(line));
      continue;
    }
    const inPeriod = ofPeriod.filter((s) => !s.invoiced && !used.has(s.id));
    const parts: MatchedLine[] = [];
    let left = line.minutes;
    for (const session of inPeriod) {
      if (left === 0) break;
      const minutes = Math.min(session.minutes, left);
      left -= minutes;
      used.add(session.id);
      parts.push({ ...line, date: session.date, minutes, contactForm: session.contactForm, periodTo: null, amountOre: lineAmountOre(minutes, line.rateOre), mentorSessionId: session.id, fromLog: { invoiceLineNo: line.lineNo, whole: null, beyondLog: null } });
    }
    const loggedMinutes = line.minutes - left;
    const lastDay = parts.length > 0 ? parts[parts.length - 1].date : ofPeriod[ofPeriod.length - 1].date;
    while (left > 0) {
      const minutes = Math.min(left, 1440);
      left -= minutes;
      parts.push({
        ...line,
        date: lastDay,
        minutes,
        periodTo: null,
        amountOre: lineAmountOre(minutes, line.rateOre),
        mentorSessionId: null,
        fromLog: { invoiceLineNo: line.lineNo, whole: null, beyondLog: { invoicedMinutes: line.minutes, loggedMinutes } },
      });
    }
    // The parts keep the line's amount as sent: the last carries what the others leave.
    const others = parts.slice(0, -1).reduce((sum, part) => sum + part.amountOre, 0);
    parts[parts.length - 1].amountOre = Math.max(0, line.amountOre - others);
    const first = parts[0].fromLog as NonNullable<ReceivedLine['fromLog']>;
    parts[0].fromLog = { ...first, whole: { minutes: line.minutes, amountOre: line.amountOre } };
    out.push(...parts);
  }
  return out.map((line, i) => ({ ...line, lineNo: i + 1 }));
}

/**
 * The deliveries a monthly line became, as stored (`invoiceLineNo` set), told again as the matching told them, so a
 * stored invoice is validated again as it was received: the line's amount on its first part, and the minutes
 * beyond the log (their stored finding says so) not approvable. By the delivery's line number. Pure.
 */
export function storedLogParts(deliveries: ReadonlyArray<{ lineNo: number; invoiceLineNo?: number | null; minutes: number; amountOre: number; findings: ReadonlyArray<{ code: string; values: Record<string, unknown> }> }>): Map<number, NonNullable<ReceivedLine['fromLog']>> {
  const groups = new Map<number, typeof deliveries[number][]>();
  for (const d of deliveries) {
    if (d.invoiceLineNo === undefined || d.invoiceLineNo === null) continue;
    const group = groups.get(d.invoiceLineNo);
    if (group === undefined) groups.set(d.invoiceLineNo, [d]);
    else group.push(d);
  }
  const parts = new Map<number, NonNullable<ReceivedLine['fromLog']>>();
  for (const [invoiceLineNo, group] of groups) {
    const ordered = [...group].sort((a, b) => a.lineNo - b.lineNo);
    const whole = { minutes: ordered.reduce((sum, d) => sum + d.minutes, 0), amountOre: ordered.reduce((sum, d) => sum + d.amountOre, 0) };
    ordered.forEach((d, i) => {
      const beyond = d.findings.find((f) => f.code === 'hours_beyond_log');
      const beyondLog = beyond ? { invoicedMinutes: Number(beyond.values.invoicedMinutes), loggedMinutes: Number(beyond.values.loggedMinutes) } : null;
      parts.set(d.lineNo, { invoiceLineNo, whole: i === 0 ? whole : null, beyondLog });
    });
  }
  return parts;
}
