import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import type { ErrorTextOptions } from '../common/errors/error-text';
import { compareDates, isCalendarDate, type CalendarDate } from '../common/time/calendar-date';
import { formatKroner, parseKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import type { SupplierGrantDto } from '../grants/grants.dto';
import type { GrantWeekUsage } from './grant-usage.service';
import type { Finding } from './finding';
import { describeFinding, type Catalogues } from './finding-text';
import type { InvoiceDto, InvoiceLineDto } from './invoices.dto';
import { CONTACT_FORMS } from './parsed-invoice';
import { lineAmountOre } from './invoice-amounts';
import type { RateSchedule, ScheduledRate } from '../suppliers/agreements.service';
import type { FormFields } from '../common/web/form-errors';
import { approvalStage, type ApprovalStage } from './four-eyes.rules';
import type { ApprovalRecord } from './invoices.service';

/**
 * View models of the invoice pages: amounts formatted from øre, findings in the page's language, the
 * week-usage table, and the invoice form's rows read into the API's JSON body. Pure functions.
 */

export type Translate = (key: string, params?: Record<string, unknown>) => string;
type Form = Record<string, unknown>;

export interface FindingView {
  code: string;
  severity: Finding['severity'];
  message: string;
}

/** Findings in the page's language, told from their code and values; `line` is the line they are on, if any. */
export function findingViews(findings: Finding[], lang: Language, catalogues: Catalogues, line?: { grantReference: string }): FindingView[] {
  return findings.map((finding) => ({ code: finding.code, severity: finding.severity, message: describeFinding(catalogues, lang, finding, line) }));
}

export function lineViews(lines: InvoiceLineDto[], lang: Language, catalogues: Catalogues) {
  return lines.map((line) => ({
    id: line.id,
    lineNo: line.lineNo,
    grantReference: line.grantReference,
    date: line.date,
    minutes: line.minutes,
    contactForm: line.contactForm,
    status: line.status,
    rate: formatKroner(line.rateOre, lang),
    amount: formatKroner(line.amountOre, lang),
    approvable: formatKroner(line.approvableOre, lang),
    approved: line.approvedOre === null ? null : formatKroner(line.approvedOre, lang),
    cut: line.approvableOre !== line.amountOre,
    findings: findingViews(line.findings, lang, catalogues, line),
  }));
}

/** An invoice for a page: invoiced and approvable amounts side by side, in kroner. */
export function invoiceView(invoice: InvoiceDto, lang: Language, catalogues: Catalogues) {
  const kr = (ore: number) => formatKroner(ore, lang);
  return {
    id: invoice.id,
    supplierName: invoice.supplierName,
    invoiceNumber: invoice.invoiceNumber,
    documentType: invoice.documentType,
    source: invoice.source,
    issueDate: invoice.issueDate,
    periodFrom: invoice.periodFrom,
    periodTo: invoice.periodTo,
    status: invoice.status,
    net: kr(invoice.netOre),
    vat: kr(invoice.vatOre),
    total: kr(invoice.totalOre),
    approvable: kr(invoice.approvableOre),
    approvableOre: invoice.approvableOre,
    notApprovable: kr(invoice.netOre - invoice.approvableOre),
    cut: invoice.approvableOre !== invoice.netOre,
    approved: invoice.approvedOre === null ? null : kr(invoice.approvedOre),
    errorCount: invoice.errorCount,
    warningCount: invoice.warningCount,
    findings: findingViews(invoice.findings, lang, catalogues),
    rejectionReason: invoice.rejectionReason,
    paidOn: invoice.paidOn,
    secondApprovalRequired: invoice.secondApprovalRequired,
    firstApprovalGiven: invoice.firstApprovalGiven,
    lines: lineViews(invoice.lines ?? [], lang, catalogues),
  };
}

// ---- the week view ----

export type WeekGrant = Pick<SupplierGrantDto, 'id' | 'reference' | 'minutesPerWeek' | 'start' | 'end'>;

/** Granted against used minutes per grant and ISO week; a week outside the grant's period has no cell value. */
export function weekTable(grants: WeekGrant[], usage: GrantWeekUsage[], t: Translate) {
  const byGrant = new Map(usage.map((u) => [u.grantId, u.weeks]));
  const weeks = usage[0]?.weeks.map(({ week, monday, sunday }) => ({ week, monday, sunday })) ?? [];
  return {
    weeks,
    rows: grants.map((grant) => ({
      reference: grant.reference,
      granted: grant.minutesPerWeek,
      cells: (byGrant.get(grant.id) ?? []).map((week) => {
        const inPeriod = compareDates(week.sunday, grant.start) >= 0 && compareDates(week.monday, grant.end) <= 0;
        const over = week.minutes > grant.minutesPerWeek;
        return { inPeriod, over, text: inPeriod ? t('invoices.week.cell', { used: week.minutes, granted: grant.minutesPerWeek }) : '–' };
      }),
    })),
  };
}

// ---- the invoice form ----

/** Line rows on a new form, and the most a form may carry. */
export const DEFAULT_FORM_ROWS = 5;
export const MAX_FORM_ROWS = 30;

const LINE_FIELDS = ['grantId', 'date', 'periodTo', 'minutes', 'contactForm', 'rateKr'] as const;
type LineField = (typeof LINE_FIELDS)[number];
export type LineRow = Record<LineField, string> & { row: number };

/** The form's line rows (fields named lines.N.grantId …), all of them, empty ones too. */
export function lineRowsOf(body: Form, count: number): LineRow[] {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  return Array.from({ length: count }, (_, i) => {
    const row = i + 1;
    const values = Object.fromEntries(LINE_FIELDS.map((field) => [field, text(`lines.${row}.${field}`)])) as Record<LineField, string>;
    return { row, ...values };
  });
}

export function rowCountOf(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : DEFAULT_FORM_ROWS;
  return Math.min(Math.max(n, 1), MAX_FORM_ROWS);
}

const isBlank = (row: LineRow) => row.grantId === '' && row.date === '' && row.periodTo === '' && row.minutes === '' && row.rateKr === '';

/**
 * The invoice form → the JSON body of POST /api/v1/invoices: grant ids from the picker become their
 * references, kroner become øre (never through floats), minutes whole numbers. A line with a "to" day
 * (periodTo) covers the grant's logged sessions from its date to that day, as a JSON or CSV line can.
 * Blank rows are skipped; a row that cannot be read is reported under its row number.
 */
export function invoiceBodyFromForm(body: Form, rows: LineRow[], ownActiveGrants: Map<string, string>): Record<string, unknown> {
  const problems: ErrorDetail[] = [];
  const lines: Array<Record<string, unknown>> = [];
  for (const row of rows.filter((r) => !isBlank(r))) {
    const at = (name: string) => `lines[${row.row}].${name}`;
    const reference = ownActiveGrants.get(row.grantId);
    if (!reference) problems.push({ field: at('grantId'), rule: 'own_active_grant', message: `line ${row.row}: choose one of your active grants` });
    if (!isCalendarDate(row.date)) problems.push({ field: at('date'), rule: 'calendar_date', message: `line ${row.row}: the date must be YYYY-MM-DD` });
    const periodTo = row.periodTo === '' ? null : row.periodTo;
    if (periodTo !== null && !isCalendarDate(periodTo)) problems.push({ field: at('periodTo'), rule: 'calendar_date', message: `line ${row.row}: the "to" day must be YYYY-MM-DD` });
    else if (periodTo !== null && isCalendarDate(row.date) && periodTo < row.date) {
      problems.push({ field: at('periodTo'), rule: 'period_to_before_date', message: `line ${row.row}: the "to" day must be the date or later`, values: { date: row.date, periodTo } });
    }
    const minutes = /^\d{1,4}$/.test(row.minutes) ? Number(row.minutes) : null;
    if (minutes === null || minutes < 1 || minutes > 1440) problems.push({ field: at('minutes'), rule: 'minutes_in_day', message: `line ${row.row}: minutes must be a whole number from 1 to 1440` });
    const rateOre = parseKroner(row.rateKr);
    if (rateOre === null) problems.push({ field: at('rateKr'), rule: 'kroner', message: `line ${row.row}: the rate must be kroner, e.g. 450 or 450,50` });
    const contactForm = (CONTACT_FORMS as readonly string[]).includes(row.contactForm) ? row.contactForm : undefined;
    lines.push({ grantReference: reference, date: row.date, ...(periodTo !== null ? { periodTo } : {}), minutes, rateOre, ...(contactForm ? { contactForm } : {}) });
  }
  if (lines.length === 0 && problems.length === 0) problems.push({ field: 'lines', rule: 'no_lines', message: 'fill in at least one line' });
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const invoiceNumber = text('invoiceNumber');
  const issueDate = text('issueDate');
  if (issueDate === '') problems.unshift({ field: 'issueDate', rule: 'required', message: 'the issue date is missing' });
  if (invoiceNumber === '') problems.unshift({ field: 'invoiceNumber', rule: 'required', message: 'the invoice number is missing' });
  if (problems.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', problems);
  return { invoiceNumber, issueDate, lines };
}

/** The rate per hour (øre) on a date by a schedule: the card's rate in force (the latest begun), else the default rate within its period. */
export function rateOn(schedule: RateSchedule, date: CalendarDate): number | null {
  const within = (rate: ScheduledRate) => compareDates(rate.validFrom, date) <= 0 && (rate.validTo === null || compareDates(date, rate.validTo) <= 0);
  const inForce = schedule.rates.filter(within).reduce<ScheduledRate | null>((latest, rate) => (latest === null || compareDates(rate.validFrom, latest.validFrom) > 0 ? rate : latest), null);
  if (inForce) return inForce.rateOre;
  return schedule.fallback && within(schedule.fallback) ? schedule.fallback.rateOre : null;
}

/** Rows whose rate is blank get the rate of their grant's rate card on their date (as a form field, e.g. '450' or '462,50'). */
export function prefillRates(rows: LineRow[], schedules: ReadonlyMap<string, RateSchedule>): LineRow[] {
  return rows.map((row) => {
    const schedule = schedules.get(row.grantId);
    if (row.rateKr !== '' || !schedule || !isCalendarDate(row.date)) return row;
    const rateOre = rateOn(schedule, row.date);
    return rateOre === null ? row : { ...row, rateKr: formatKroner(rateOre, 'da', 'field') };
  });
}

/** The form's total so far (øre, excl. VAT): each row with whole minutes and a rate, minutes × rate / 60 rounded half up; null when no row has both. */
export function formTotalOre(rows: LineRow[]): number | null {
  let total: number | null = null;
  for (const row of rows) {
    const minutes = /^\d{1,4}$/.test(row.minutes) ? Number(row.minutes) : null;
    const rateOre = parseKroner(row.rateKr);
    if (minutes === null || minutes < 1 || rateOre === null) continue;
    total = (total ?? 0) + lineAmountOre(minutes, rateOre);
  }
  return total;
}

/** The form's fields by the names its refusals use (`lines[N].minutes` is row N's minutes): each field's element id. */
export function invoiceFormFields(rowCount: number): FormFields {
  const ids: Record<string, string> = { invoiceNumber: 'f-number', issueDate: 'f-issue', lines: 'l1-grant' };
  const columns: Record<string, string> = { grantId: 'grant', date: 'date', minutes: 'minutes', contactForm: 'contact', rateKr: 'rate' };
  for (let row = 1; row <= rowCount; row += 1) {
    for (const [field, id] of Object.entries(columns)) ids[`lines[${row}].${field}`] = `l${row}-${id}`;
  }
  return { ids };
}

/** The columns of the CSV template, by the Danish names the CSV intake reads (see csv-invoice.parser.ts). */
export const CSV_TEMPLATE_COLUMNS = ['bevilling', 'dato', 'minutter', 'timepris', 'kontaktform', 'transport', 'beskrivelse'] as const;

/**
 * The CSV template a supplier fills in: a BOM (so a spreadsheet reads æøå), the header and one example row,
 * separated by ';' with a decimal comma, as the intake reads it.
 */
export function invoiceCsvTemplate(example: { grantReference: string; date: CalendarDate; rateOre: number }): string {
  const row = [example.grantReference, example.date, '60', formatKroner(example.rateOre, 'da', 'field'), 'fremmøde', '', 'Samtale om jobsøgning'];
  return `\uFEFF${CSV_TEMPLATE_COLUMNS.join(';')}\r\n${row.join(';')}\r\n`;
}

/** The content type of an uploaded invoice file: by its extension, then by what the browser said. */
export function uploadContentType(file: { originalname: string; mimetype: string }): 'text/csv' | 'application/xml' | null {
  const name = file.originalname.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.xml')) return 'application/xml';
  const type = file.mimetype.split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'text/csv';
  if (type === 'application/xml' || type === 'text/xml') return 'application/xml';
  return null;
}

// ---- errors ----

const CSV_COLUMNS = new Set(['grant_reference', 'date', 'minutes', 'rate', 'amount', 'contact_form', 'transport', 'description']);

function fieldLabel(field: string, t: Translate): string {
  const label = (name: string) => {
    const key = `invoices.field.${name}`;
    const text = t(key);
    return text === key ? name : text;
  };
  const line = /^lines\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (line) return [t('invoices.field.line', { n: line[1] }), line[2] ? label(line[2]) : null].filter(Boolean).join(' · ');
  const row = /^rows\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (row) return [t('invoices.field.row', { n: row[1] }), row[2] ? (CSV_COLUMNS.has(row[2]) ? label(row[2]) : row[2]) : null].filter(Boolean).join(' · ');
  const header = /^header\.(\w+)$/.exec(field);
  if (header) return `${t('invoices.field.header')} · ${header[1]}`;
  return label(field);
}

export type InvoiceAction = 'submit' | 'upload' | 'approve' | 'reject' | 'register' | 'remove' | 'month';

/**
 * What the invoice and hour pages put around an error's texts (which come from the one catalogue): the
 * heading by what was tried, or by the file's size or type, and each field by its label (a line, a row of
 * the file, a column).
 */
export function invoiceErrorText(action: InvoiceAction, t: Translate): ErrorTextOptions {
  return {
    heading: (body) => (body.statusCode === 413 ? 'invoices.error.too_large' : body.statusCode === 415 ? 'invoices.error.file_type' : `invoices.error.${action}`),
    fieldLabel: (field) => fieldLabel(field, t),
  };
}

/** The rule of an upload's HTTP error (multer, the intake's content type) as a detail the page can show. */
export function uploadDetail(statusCode: number): ErrorDetail[] {
  if (statusCode === 413) return [{ field: 'file', rule: 'file_too_large', message: 'the file is too large' }];
  if (statusCode === 415) return [{ field: 'file', rule: 'file_type', message: 'upload a .csv or .xml file' }];
  return [{ field: 'file', rule: 'file_unreadable', message: 'the file could not be read' }];
}

// ---- four eyes ----

/** An approval step as the invoice page names it: who, and when (Copenhagen time). */
export interface ApprovalStepView {
  id: string;
  label: string;
  name: string;
  at: string;
}

/**
 * The four-eyes block of an invoice page: the stage in words, and who approved when. `nameOf` gives a
 * user's display name. A single approval is "approved by"; two are "first" and "second approval".
 */
export function approvalView(record: ApprovalRecord, thresholdOre: number, nameOf: (userId: string) => string, formatAt: (iso: string | null) => string) {
  const stage = approvalStage(record, thresholdOre);
  const steps: ApprovalStepView[] = [];
  const two = record.firstApprovedBy !== null;
  if (record.firstApprovedBy !== null) steps.push({ id: 'first-approver', label: 'invoices.approvals.first', name: nameOf(record.firstApprovedBy), at: formatAt(record.firstApprovedAt) });
  if (record.approvedBy !== null && (stage === 'decided' || record.status === 'held')) {
    steps.push({ id: two ? 'second-approver' : 'final-approver', label: two ? 'invoices.approvals.second' : 'invoices.approvals.single', name: nameOf(record.approvedBy), at: formatAt(record.approvedAt) });
  }
  return {
    stage,
    waiting: stage === 'awaiting_approval' || stage === 'awaiting_first_of_two' || stage === 'awaiting_second_approver',
    shown: stage !== 'other' && stage !== 'rejected',
    twoApprovers: stage === 'awaiting_first_of_two' || stage === 'awaiting_second_approver' || (stage === 'decided' && two),
    steps,
  };
}

/** The stage an invoice in a list shows beside its status: only while it awaits approval (the list has no user ids). */
export function listApprovalStage(invoice: InvoiceDto, thresholdOre: number): ApprovalStage | null {
  if (invoice.status !== 'validated') return null;
  return approvalStage(
    { status: invoice.status, heldFrom: null, submittedBy: null, firstApprovedBy: invoice.firstApprovalGiven ? 'given' : null, approvedBy: null, secondApprovalRequired: invoice.secondApprovalRequired, approvableOre: invoice.approvableOre, netOre: invoice.netOre },
    thresholdOre,
  );
}
