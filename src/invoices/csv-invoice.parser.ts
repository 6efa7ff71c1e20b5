/**
 * CSV invoice lines → ParsedInvoice (source 'csv'), or the file's faults (IntakeFault, codes csv_*). Pure: takes
 * the text, returns a result.
 *
 * The CSV holds only lines; invoice number, issue date and seller CVR come as parameters.
 *
 * Format
 * - A header row is required. Column names are case-insensitive, Danish or English:
 *     grant_reference | bevilling     (required) e.g. MS-2026-000123
 *     date            | dato          (required) YYYY-MM-DD
 *     minutes         | minutter      (required) whole minutes, > 0
 *     rate            | timepris      (required) kr. per hour, '250,00' or '250.00'
 *     amount          | beløb         (optional) kr.; when absent it is minutes × rate / 60 rounded half up
 *     contact_form    | kontaktform   (optional) in_person/fremmøde/personligt, phone/telefon, video
 *     transport       | transport     (optional) public_transport/offentlig, car/bil, bicycle_or_walk/cykel/gang
 *     description     | beskrivelse   (optional)
 *   Unknown columns are ignored.
 * - Separator ';' or ',' detected from the header (';' wins when the header has one). With ','
 *   a decimal comma value must be quoted ("250,00"). Quoted fields with doubled quotes ("") are
 *   supported, also across line breaks. UTF-8 with or without BOM, CRLF or LF. Blank rows are skipped.
 * - Rows are numbered as records in the file, the header being row 1; faults name them
 *   as field `rows[N].<column>` and line N.
 * - Limits: at most 10,000 lines (csv_too_many_lines), cells of at most 500 characters (csv_cell_too_long),
 *   rates and amounts of at most 1 billion kr. (csv_rate_range, csv_amount_range; MAX_AMOUNT_ORE).
 *   A cell starting with '=', '+', '-' or '@' (after any blanks) that is not a number is refused (csv_formula:
 *   spreadsheet formula injection).
 * - Amounts with more than 2 decimals round half up to whole øre (see parsed-invoice.ts).
 * Single pass over the characters with charCodeAt; no regex per character.
 */
import { isCalendarDate } from '../common/time/calendar-date';
import { fault, type FaultValues, type IntakeFault, type IntakeFaultCode } from './intake-fault';
import { lineAmountOre } from './invoice-amounts';
import { ContactForm, GRANT_REFERENCE, MAX_AMOUNT_ORE, parseExactDecimal, ParsedLine, ParseResult, scaleExact, TransportKind } from './parsed-invoice';

export const CSV_MAX_LINES = 10_000;
export const CSV_MAX_CELL_LENGTH = 500;
const MAX_FAULTS = 200;
const MAX_KRONER = MAX_AMOUNT_ORE / 100;

export interface CsvInvoiceMeta {
  invoiceNumber: string;
  issueDate: string;
  sellerCvr: string;
  currency?: string;
}

type Column = 'grant_reference' | 'date' | 'period_to' | 'minutes' | 'rate' | 'amount' | 'contact_form' | 'transport' | 'description';

const COLUMN_NAMES: Record<string, Column> = {
  grant_reference: 'grant_reference',
  bevilling: 'grant_reference',
  date: 'date',
  dato: 'date',
  // A line for a period (a month's sessions in the session log): from `dato` to this day.
  period_to: 'period_to',
  til: 'period_to',
  minutes: 'minutes',
  minutter: 'minutes',
  rate: 'rate',
  timepris: 'rate',
  amount: 'amount',
  beløb: 'amount',
  belob: 'amount',
  contact_form: 'contact_form',
  kontaktform: 'contact_form',
  transport: 'transport',
  description: 'description',
  beskrivelse: 'description',
};

const REQUIRED: Column[] = ['grant_reference', 'date', 'minutes', 'rate'];

const TRANSPORTS: Record<string, TransportKind> = {
  public_transport: 'public_transport',
  offentlig: 'public_transport',
  car: 'car',
  bil: 'car',
  bicycle_or_walk: 'bicycle_or_walk',
  cykel: 'bicycle_or_walk',
  gang: 'bicycle_or_walk',
};

const CONTACT_FORMS: Record<string, ContactForm> = {
  in_person: 'in_person',
  fremmøde: 'in_person',
  personligt: 'in_person',
  phone: 'phone',
  telefon: 'phone',
  video: 'video',
};

interface CsvRecord {
  rowNo: number;
  cells: string[];
}

/** Splits CSV text into records in one pass. Stops (tooMany = true) after maxRecords records. */
export function splitCsv(text: string, separator: number, maxRecords: number): { records: CsvRecord[]; tooMany: boolean } {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let rowNo = 1;
  let fieldStart = i;
  let usedBuffer = false; // true when cell was built char-wise (quoted)
  const n = text.length;
  const endRecord = (): boolean => {
    const isBlank = cells.length === 1 && cells[0] === '';
    if (!isBlank) records.push({ rowNo, cells });
    rowNo++;
    cells = [];
    return records.length > maxRecords;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      // copy a run of plain characters at once
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 34) j++;
      cell += text.slice(i, j);
      i = j;
      continue;
    }
    if (c === 34 && (usedBuffer || i === fieldStart)) {
      quoted = true;
      usedBuffer = true;
      i++;
      continue;
    }
    if (c === separator || c === 10 || c === 13) {
      cells.push(usedBuffer ? cell : text.slice(fieldStart, i));
      cell = '';
      usedBuffer = false;
      if (c === separator) {
        i++;
        fieldStart = i;
        continue;
      }
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      fieldStart = i;
      if (endRecord()) return { records, tooMany: true };
      continue;
    }
    if (usedBuffer) cell += text[i];
    i++;
  }
  if (usedBuffer || fieldStart < n || cells.length > 0) {
    cells.push(usedBuffer ? cell : text.slice(fieldStart, n));
    if (endRecord()) return { records, tooMany: true };
  }
  return { records, tooMany: false };
}

function detectSeparator(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 59) return 59; // ';'
    if (c === 10 || c === 13) break;
  }
  return 44; // ','
}

function looksNumeric(cell: string): boolean {
  return parseExactDecimal(cell, 'either') !== null;
}

// Where each column sits in a record; -1 when the file has no such column.
interface ColumnPositions {
  grantReference: number;
  date: number;
  periodTo: number;
  minutes: number;
  rate: number;
  amount: number;
  contactForm: number;
  transport: number;
  description: number;
}

const cellAt = (cells: string[], index: number): string => (index < 0 ? '' : (cells[index] ?? '').trim());

// The name faults give a cell: its column as this parser knows it, else the header as written, else its position.
function cellName(header: CsvRecord, index: number): string {
  const headerName = header.cells[index]?.trim() ?? '';
  return COLUMN_NAMES[headerName.toLowerCase()] ?? (headerName || `column${index + 1}`);
}

function rowFault(faults: IntakeFault[], rowNo: number, field: string, code: IntakeFaultCode, values: FaultValues = {}): void {
  faults.push(fault(code, `rows[${rowNo}].${field}`, values, rowNo));
}

// Whole minutes written as one to four plain digits, or null for anything else (the exact parser decides those).
function plainMinutes(text: string): number | null {
  if (text.length === 0 || text.length > 4) return null;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}

// Øre of an amount in plain digits with at most two decimals after ',' or '.' ('425', '425,5', '425,00'), or null
// for anything else, which the exact parser decides. Where it answers, it equals scaleExact(parseExactDecimal(text, 'either'), 100n).
function plainOre(text: string): number | null {
  const n = text.length;
  let i = 0;
  let whole = 0;
  for (; i < n && i < 12; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
  }
  if (i === 0) return null;
  if (i === n) return whole * 100;
  const separator = text.charCodeAt(i);
  if ((separator !== 44 && separator !== 46) || n - i - 1 > 2) return null;
  let fraction = 0;
  for (let j = i + 1; j < n; j++) {
    const digit = text.charCodeAt(j) - 48;
    if (digit < 0 || digit > 9) return null;
    fraction = fraction * 10 + digit;
  }
  return whole * 100 + (n - i - 1 === 1 ? fraction * 10 : fraction);
}

function oreOf(text: string): number | null {
  const plain = plainOre(text);
  if (plain !== null) return plain;
  const decimal = parseExactDecimal(text, 'either');
  return decimal === null ? null : scaleExact(decimal, 100n);
}

/** One record as an invoice line, or null when it has faults (added to `faults`, in the order of the columns). */
function parseRow(record: CsvRecord, header: CsvRecord, columns: ColumnPositions, faults: IntakeFault[], lineNo: number): ParsedLine | null {
  const { rowNo, cells } = record;
  let rowOk = true;
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index];
    if (cell.length > CSV_MAX_CELL_LENGTH) {
      const name = cellName(header, index);
      rowFault(faults, rowNo, name, 'csv_cell_too_long', { column: name, max: CSV_MAX_CELL_LENGTH });
      rowOk = false;
      continue;
    }
    // Values are read trimmed, so a formula behind blanks or a tab (' =cmd') is one too.
    const value = cell.trim();
    const first = value.charCodeAt(0);
    if ((first === 61 || first === 43 || first === 45 || first === 64) && !looksNumeric(value)) {
      const name = cellName(header, index);
      rowFault(faults, rowNo, name, 'csv_formula', { column: name, first: value[0] });
      rowOk = false;
    }
  }
  if (!rowOk) return null;

  const grantReference = cellAt(cells, columns.grantReference);
  if (grantReference === '') rowFault(faults, rowNo, 'grant_reference', 'csv_grant_reference_missing');
  else if (!GRANT_REFERENCE.test(grantReference)) rowFault(faults, rowNo, 'grant_reference', 'csv_grant_reference_format', { value: grantReference });

  const date = cellAt(cells, columns.date);
  if (!isCalendarDate(date)) rowFault(faults, rowNo, 'date', 'csv_date_format', { value: date });
  const periodTo = cellAt(cells, columns.periodTo);
  if (periodTo !== '' && !isCalendarDate(periodTo)) rowFault(faults, rowNo, 'period_to', 'csv_date_format', { value: periodTo });

  const minutesText = cellAt(cells, columns.minutes);
  let minutes = plainMinutes(minutesText);
  if (minutes === null) {
    const minutesDecimal = parseExactDecimal(minutesText, '.');
    minutes = minutesDecimal === null || minutesDecimal.scale !== 0 ? null : Number(minutesDecimal.units);
  }
  if (minutes === null || minutes <= 0 || minutes > 1440) {
    rowFault(faults, rowNo, 'minutes', 'csv_minutes_format', { value: minutesText });
    minutes = null;
  }

  const rateText = cellAt(cells, columns.rate);
  let rateOre = oreOf(rateText);
  if (rateOre === null || rateOre < 0) {
    rowFault(faults, rowNo, 'rate', 'csv_rate_format', { value: rateText });
    rateOre = null;
  } else if (rateOre > MAX_AMOUNT_ORE) {
    rowFault(faults, rowNo, 'rate', 'csv_rate_range', { value: rateText, max: MAX_KRONER });
    rateOre = null;
  }

  const amountText = cellAt(cells, columns.amount);
  let amountOre: number | null = null;
  if (amountText !== '') {
    amountOre = oreOf(amountText);
    if (amountOre === null) rowFault(faults, rowNo, 'amount', 'csv_amount_format', { value: amountText });
    else if (Math.abs(amountOre) > MAX_AMOUNT_ORE) {
      rowFault(faults, rowNo, 'amount', 'csv_amount_range', { value: amountText, max: MAX_KRONER });
      amountOre = null;
    }
  } else if (minutes !== null && rateOre !== null) {
    amountOre = lineAmountOre(minutes, rateOre);
  }

  const contactText = cellAt(cells, columns.contactForm).toLowerCase();
  let contactForm: ContactForm | null = null;
  if (contactText !== '') {
    contactForm = CONTACT_FORMS[contactText] ?? null;
    if (contactForm === null) rowFault(faults, rowNo, 'contact_form', 'csv_contact_form', { value: contactText });
  }

  const transportText = cellAt(cells, columns.transport).toLowerCase();
  let transport: TransportKind | null = null;
  if (transportText !== '') {
    transport = TRANSPORTS[transportText] ?? null;
    if (transport === null) rowFault(faults, rowNo, 'transport', 'csv_transport', { value: transportText });
  }

  const description = cellAt(cells, columns.description);
  // Once any row has failed, no more lines: the answer is the faults.
  if (faults.length > 0 || minutes === null || rateOre === null || amountOre === null) return null;
  return {
    lineNo,
    grantReference,
    date,
    ...(periodTo !== '' && periodTo !== date ? { periodTo } : {}),
    minutes,
    quantityText: minutesText,
    unitCode: 'MIN',
    rateOre,
    amountOre,
    contactForm,
    // Only a file with a transport column says anything about transport.
    ...(columns.transport < 0 ? {} : { transport }),
    description: description === '' ? null : description,
  };
}

export function parseCsvInvoice(text: string, meta: CsvInvoiceMeta): ParseResult {
  const faults: IntakeFault[] = [];
  if (!isCalendarDate(meta.issueDate)) faults.push(fault('csv_issue_date_format', 'issueDate', { value: meta.issueDate }));
  if (meta.invoiceNumber.trim() === '') faults.push(fault('csv_invoice_number_missing', 'invoiceNumber'));
  const separator = detectSeparator(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const { records, tooMany } = splitCsv(text, separator, CSV_MAX_LINES + 1);
  if (tooMany) return { ok: false, faults: [fault('csv_too_many_lines', 'rows', { max: CSV_MAX_LINES })] };
  if (records.length === 0) return { ok: false, faults: [fault('csv_empty', 'header')] };
  const header = records[0];
  const columnIndex = new Map<Column, number>();
  header.cells.forEach((name, index) => {
    const column = COLUMN_NAMES[name.trim().toLowerCase()];
    if (column !== undefined && !columnIndex.has(column)) columnIndex.set(column, index);
  });
  for (const column of REQUIRED) {
    if (!columnIndex.has(column)) faults.push(fault('csv_header_column_missing', `header.${column}`, { column }, header.rowNo));
  }
  if (faults.length > 0) return { ok: false, faults };

  const at = (column: Column): number => columnIndex.get(column) ?? -1;
  const columns = {
    grantReference: at('grant_reference'),
    date: at('date'),
    periodTo: at('period_to'),
    minutes: at('minutes'),
    rate: at('rate'),
    amount: at('amount'),
    contactForm: at('contact_form'),
    transport: at('transport'),
    description: at('description'),
  };
  const lines: ParsedLine[] = [];
  for (let r = 1; r < records.length && faults.length < MAX_FAULTS; r++) {
    const line = parseRow(records[r], header, columns, faults, lines.length + 1);
    if (line !== null) lines.push(line);
  }
  if (faults.length === 0 && lines.length === 0) faults.push(fault('csv_no_lines', 'rows'));
  if (faults.length > 0) return { ok: false, faults };
  return {
    ok: true,
    invoice: {
      source: 'csv',
      documentType: 'invoice',
      invoiceNumber: meta.invoiceNumber.trim(),
      issueDate: meta.issueDate,
      currency: meta.currency ?? 'DKK',
      seller: { cvr: meta.sellerCvr, gln: null, name: null },
      orderReference: null,
      periodFrom: null,
      periodTo: null,
      lines,
      totals: null,
      billingReferences: [],
    },
  };
}
