import { parse } from 'csv-parse/sync';
import type { ErrorDetail } from '../common/errors/domain.exception';
import { compareDates, isCalendarDate, type CalendarDate } from '../common/time/calendar-date';
import { BillingErrorCode } from './billing.errors';
import type { StatementStatus } from './statement.rules';

/**
 * The payment file the finance system sends back (betalingsfil): a CSV with one row per statement paid, its
 * number, the amount paid and the day. Pure: reading the file, and the plan of what an import does with the
 * statements it names. A file with any problem is refused whole; the problems name the row (the file's line,
 * the header being row 1) and the column.
 *
 *     statement_number | afregningsnummer   AF-2026-000001
 *     paid_amount      | beløb              kroner: 1234,56 / 1.234,56 / 1234.56 (at most two decimals, above 0)
 *     paid_on          | betalingsdato      YYYY-MM-DD, not after today
 *
 * Separator ';' or ',' (from the header; ';' wins); UTF-8 with or without BOM; blank rows skipped; unknown
 * columns ignored.
 */

/** The largest payment file taken (bytes). */
export const PAYMENT_FILE_MAX_BYTES = 256 * 1024;
/** The most rows one file holds. */
export const PAYMENT_FILE_MAX_ROWS = 5_000;
/** An amount above this (1 billion kr.) is no statement's. */
const MAX_PAID_ORE = 100_000_000_000;

const COLUMNS = {
  statementNumber: ['statement_number', 'afregningsnummer', 'statement', 'afregning'],
  paidAmount: ['paid_amount', 'amount', 'beløb', 'belob', 'betalt_beløb', 'betalt'],
  paidOn: ['paid_on', 'date', 'betalingsdato', 'dato'],
} as const;

type Column = keyof typeof COLUMNS;

/** The file's column names as the errors name them. */
export const PAYMENT_COLUMN_FIELDS: Record<Column, string> = { statementNumber: 'statement_number', paidAmount: 'paid_amount', paidOn: 'paid_on' };

export interface PaymentRow {
  /** The row's line in the file, the header being 1. */
  row: number;
  statementNumber: string;
  paidOre: number;
  paidOn: CalendarDate;
}

export interface PaymentFile {
  rows: PaymentRow[];
  problems: ErrorDetail[];
}

const MAX_PROBLEMS = 200;

function problem(code: BillingErrorCode, field: string, message: string, values: Record<string, string | number>): ErrorDetail {
  return { field, rule: code, message, values };
}

function rowProblem(code: BillingErrorCode, row: number, column: Column, message: string, values: Record<string, string | number> = {}): ErrorDetail {
  const field = PAYMENT_COLUMN_FIELDS[column];
  return problem(code, `rows[${row}].${field}`, `row ${row}, ${field}: ${message}`, { row, column: field, ...values });
}

/** Kroner as a payment file writes them → whole øre; null when it is not such an amount. Never through a float. */
export function parsePaidAmount(text: string): number | null {
  const value = text.trim();
  let whole: string;
  let fraction: string;
  const grouped = /^(\d{1,3}(?:\.\d{3})+),(\d{1,2})$/.exec(value);
  const plain = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(value);
  if (grouped) [whole, fraction] = [grouped[1].replace(/\./g, ''), grouped[2]];
  else if (plain) [whole, fraction] = [plain[1], plain[2] ?? '0'];
  else return null;
  const ore = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(ore) ? ore : null;
}

function detectDelimiter(text: string): ';' | ',' {
  const header = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  return header.includes(';') || !header.includes(',') ? ';' : ',';
}

function columnIndexes(header: string[]): { indexes: Partial<Record<Column, number>>; problems: ErrorDetail[] } {
  const names = header.map((name) => name.trim().toLowerCase().replace(/\s+/g, '_'));
  const indexes: Partial<Record<Column, number>> = {};
  const problems: ErrorDetail[] = [];
  for (const column of Object.keys(COLUMNS) as Column[]) {
    const at = names.findIndex((name) => (COLUMNS[column] as readonly string[]).includes(name));
    if (at < 0) {
      const field = PAYMENT_COLUMN_FIELDS[column];
      problems.push(problem(BillingErrorCode.PaymentColumnMissing, field, `the file has no column ${field} (${COLUMNS[column].join(', ')})`, { column: field }));
    } else {
      indexes[column] = at;
    }
  }
  return { indexes, problems };
}

function readRow(record: string[], row: number, indexes: Record<Column, number>, today: CalendarDate): { row?: PaymentRow; problems: ErrorDetail[] } {
  const cell = (column: Column) => (record[indexes[column]] ?? '').trim();
  const problems: ErrorDetail[] = [];
  const statementNumber = cell('statementNumber');
  if (statementNumber === '') problems.push(rowProblem(BillingErrorCode.PaymentStatementNumber, row, 'statementNumber', 'the statement number is missing'));
  const amountText = cell('paidAmount');
  const paidOre = parsePaidAmount(amountText.replace(/^-/, ''));
  if (/^-/.test(amountText) || (paidOre === 0 && amountText !== '')) {
    problems.push(rowProblem(BillingErrorCode.PaymentAmountPositive, row, 'paidAmount', `the amount paid must be above 0, got '${amountText}'`, { value: amountText }));
  } else if (paidOre === null || paidOre > MAX_PAID_ORE) {
    problems.push(rowProblem(BillingErrorCode.PaymentAmount, row, 'paidAmount', `the amount paid must be kroner with at most two decimals (1234,56), got '${amountText}'`, { value: amountText }));
  }
  const paidOn = cell('paidOn');
  if (!isCalendarDate(paidOn) || compareDates(paidOn, '2000-01-01') < 0) {
    problems.push(rowProblem(BillingErrorCode.PaymentDate, row, 'paidOn', `the payment date must be a date YYYY-MM-DD, got '${paidOn}'`, { value: paidOn }));
  } else if (compareDates(paidOn, today) > 0) {
    problems.push(rowProblem(BillingErrorCode.PaymentDateFuture, row, 'paidOn', `the payment date ${paidOn} is after today, ${today}`, { value: paidOn, today }));
  }
  if (problems.length > 0 || paidOre === null) return { problems };
  return { row: { row, statementNumber, paidOre, paidOn }, problems };
}

/**
 * Reads a payment file: its rows, or the problems that refuse it (every row's, up to 200). `bytes` is the
 * file's size as received; a file above PAYMENT_FILE_MAX_BYTES is refused before it is read.
 */
export function readPaymentFile(text: string, bytes: number, today: CalendarDate): PaymentFile {
  if (bytes > PAYMENT_FILE_MAX_BYTES) {
    return { rows: [], problems: [problem(BillingErrorCode.PaymentFileSize, 'file', `the file has ${bytes} bytes; at most ${PAYMENT_FILE_MAX_BYTES} are taken`, { bytes, max: PAYMENT_FILE_MAX_BYTES })] };
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // `info` gives each record's line in the file, so a row keeps its number across blank lines.
    records = parse(text, { bom: true, delimiter: detectDelimiter(text), skip_empty_lines: true, relax_column_count: true, max_record_size: 10_000, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { rows: [], problems: [problem(BillingErrorCode.PaymentFileFormat, 'file', `the file cannot be read as CSV near line ${line}: ${(error as Error).message}`, { line })] };
  }
  const [header, ...body] = records;
  if (header === undefined || body.length === 0) {
    return { rows: [], problems: [problem(BillingErrorCode.PaymentFileEmpty, 'file', 'the file has no payment rows under its header', {})] };
  }
  if (body.length > PAYMENT_FILE_MAX_ROWS) {
    return { rows: [], problems: [problem(BillingErrorCode.PaymentFileRows, 'file', `the file has ${body.length} rows; at most ${PAYMENT_FILE_MAX_ROWS} are taken`, { rows: body.length, max: PAYMENT_FILE_MAX_ROWS })] };
  }
  const columns = columnIndexes(header.record);
  if (columns.problems.length > 0) return { rows: [], problems: columns.problems };
  const indexes = columns.indexes as Record<Column, number>;
  const rows: PaymentRow[] = [];
  const problems: ErrorDetail[] = [];
  const firstRowOf = new Map<string, number>();
  body.forEach(({ record, info }) => {
    const row = info.lines;
    const read = readRow(record, row, indexes, today);
    problems.push(...read.problems);
    if (!read.row) return;
    const first = firstRowOf.get(read.row.statementNumber);
    if (first !== undefined) {
      problems.push(rowProblem(BillingErrorCode.PaymentRowDuplicate, row, 'statementNumber', `statement ${read.row.statementNumber} is paid in row ${first} already`, { statementNumber: read.row.statementNumber, firstRow: first }));
      return;
    }
    firstRowOf.set(read.row.statementNumber, row);
    rows.push(read.row);
  });
  return { rows, problems: problems.slice(0, MAX_PROBLEMS) };
}

/** A numbered statement as an import reads it. */
export interface PayableStatement {
  id: string;
  number: string;
  supplierId: string;
  status: StatementStatus;
  totalOre: number;
  paidOn: CalendarDate | null;
  paidOre: number | null;
}

export type PaymentFindingCode = 'payment_amount_differs' | 'payment_after_paid';

export type PaymentAction =
  | { kind: 'pay'; row: PaymentRow; statement: PayableStatement }
  | { kind: 'unchanged'; row: PaymentRow; statement: PayableStatement }
  | { kind: 'finding'; code: PaymentFindingCode; row: PaymentRow; statement: PayableStatement };

export interface PaymentPlan {
  actions: PaymentAction[];
  problems: ErrorDetail[];
}

/**
 * What an import does with each row, given the statements its numbers name (those found): a final statement
 * paid with its total is marked paid; one paid already with the same amount and day is left unchanged (so the
 * same file twice changes nothing); an amount that is not the statement's total, or a paid statement paid again
 * otherwise, is a finding for finance and marks nothing. A number that is no final statement is a problem.
 */
export function paymentPlan(rows: readonly PaymentRow[], statements: ReadonlyMap<string, PayableStatement>): PaymentPlan {
  const actions: PaymentAction[] = [];
  const problems: ErrorDetail[] = [];
  for (const row of rows) {
    const statement = statements.get(row.statementNumber);
    if (!statement || statement.status === 'draft') {
      problems.push(rowProblem(BillingErrorCode.PaymentStatementUnknown, row.row, 'statementNumber', `${row.statementNumber} is no final statement`, { statementNumber: row.statementNumber }));
    } else if (statement.status === 'paid') {
      const same = statement.paidOre === row.paidOre && statement.paidOn === row.paidOn;
      actions.push(same ? { kind: 'unchanged', row, statement } : { kind: 'finding', code: 'payment_after_paid', row, statement });
    } else if (row.paidOre !== statement.totalOre) {
      actions.push({ kind: 'finding', code: 'payment_amount_differs', row, statement });
    } else {
      actions.push({ kind: 'pay', row, statement });
    }
  }
  return { actions, problems };
}
