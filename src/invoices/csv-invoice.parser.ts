/**
 * CSV invoice lines → ParsedInvoice (source 'csv'). Pure: takes the text, returns a result.
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
 * - Rows are numbered as records in the file, the header being row 1; errors name them
 *   as field `rows[N].<column>` and line N.
 * - Limits: at most 10,000 lines (rule max_lines), cells of at most 500 characters (rule max_cell_length).
 *   A cell starting with '=', '+', '-' or '@' that is not a number is refused (rule formula:
 *   spreadsheet formula injection).
 * - Amounts with more than 2 decimals round half up to whole øre (see parsed-invoice.ts).
 * Single pass over the characters with charCodeAt; no regex per character.
 */
import { isCalendarDate } from '../common/time/calendar-date';
import { lineAmountOre } from './invoice-amounts';
import {
  ContactForm,
  GRANT_REFERENCE,
  parseExactDecimal,
  ParsedLine,
  ParseError,
  ParseResult,
  scaleExact,
  TransportKind,
} from './parsed-invoice';

export const CSV_MAX_LINES = 10_000;
export const CSV_MAX_CELL_LENGTH = 500;
const MAX_ERRORS = 200;

export interface CsvInvoiceMeta {
  invoiceNumber: string;
  issueDate: string;
  sellerCvr: string;
  currency?: string;
}

type Column = 'grant_reference' | 'date' | 'minutes' | 'rate' | 'amount' | 'contact_form' | 'transport' | 'description';

const COLUMN_NAMES: Record<string, Column> = {
  grant_reference: 'grant_reference',
  bevilling: 'grant_reference',
  date: 'date',
  dato: 'date',
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

export function parseCsvInvoice(text: string, meta: CsvInvoiceMeta): ParseResult {
  const errors: ParseError[] = [];
  if (!isCalendarDate(meta.issueDate)) {
    errors.push({ field: 'issueDate', rule: 'date_format', message: `The issue date '${meta.issueDate}' is not a date YYYY-MM-DD.` });
  }
  if (meta.invoiceNumber.trim() === '') {
    errors.push({ field: 'invoiceNumber', rule: 'required', message: 'The invoice number is missing.' });
  }
  const separator = detectSeparator(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const { records, tooMany } = splitCsv(text, separator, CSV_MAX_LINES + 1);
  if (tooMany) {
    return {
      ok: false,
      errors: [{ field: 'rows', rule: 'max_lines', message: `The file has more than ${CSV_MAX_LINES} lines; split it into several invoices.` }],
    };
  }
  if (records.length === 0) {
    return { ok: false, errors: [{ field: 'header', rule: 'required', message: 'The file is empty: a header row is required.' }] };
  }
  const header = records[0];
  const columnIndex = new Map<Column, number>();
  header.cells.forEach((name, index) => {
    const column = COLUMN_NAMES[name.trim().toLowerCase()];
    if (column !== undefined && !columnIndex.has(column)) columnIndex.set(column, index);
  });
  for (const column of REQUIRED) {
    if (!columnIndex.has(column)) {
      errors.push({
        field: `header.${column}`,
        rule: 'required',
        message: `The header row (row ${header.rowNo}) has no column '${column}'.`,
        line: header.rowNo,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const lines: ParsedLine[] = [];
  for (let r = 1; r < records.length && errors.length < MAX_ERRORS; r++) {
    const { rowNo, cells } = records[r];
    const add = (field: string, rule: string, message: string): void => {
      errors.push({ field: `rows[${rowNo}].${field}`, rule, message: `Row ${rowNo}: ${message}`, line: rowNo });
    };
    let rowOk = true;
    cells.forEach((cell, index) => {
      const headerName = header.cells[index]?.trim() ?? '';
      const name = COLUMN_NAMES[headerName.toLowerCase()] ?? (headerName || `column${index + 1}`);
      if (cell.length > CSV_MAX_CELL_LENGTH) {
        add(name, 'max_cell_length', `the cell '${name}' is longer than ${CSV_MAX_CELL_LENGTH} characters.`);
        rowOk = false;
        return;
      }
      const first = cell.charCodeAt(0);
      if ((first === 61 || first === 43 || first === 45 || first === 64) && !looksNumeric(cell)) {
        add(name, 'formula', `the cell '${name}' starts with '${cell[0]}' and is not a number; formulas are refused.`);
        rowOk = false;
      }
    });
    if (!rowOk) continue;
    const get = (column: Column): string => {
      const index = columnIndex.get(column);
      return index === undefined ? '' : (cells[index] ?? '').trim();
    };

    const grantReference = get('grant_reference');
    if (grantReference === '') add('grant_reference', 'required', 'the grant reference is missing.');
    else if (!GRANT_REFERENCE.test(grantReference)) {
      add('grant_reference', 'grant_reference_format', `the grant reference '${grantReference}' is not like MS-2026-000123.`);
    }

    const date = get('date');
    if (!isCalendarDate(date)) add('date', 'date_format', `the date '${date}' is not a date YYYY-MM-DD.`);

    const minutesText = get('minutes');
    const minutesDecimal = parseExactDecimal(minutesText, '.');
    let minutes: number | null = null;
    if (minutesDecimal === null || minutesDecimal.scale !== 0 || minutesDecimal.units <= 0n || minutesDecimal.units > 1440n) {
      add('minutes', 'minutes_format', `the minutes '${minutesText}' are not a whole number from 1 to 1440.`);
    } else {
      minutes = Number(minutesDecimal.units);
    }

    const rateText = get('rate');
    const rateDecimal = parseExactDecimal(rateText, 'either');
    const rateOre = rateDecimal === null ? null : scaleExact(rateDecimal, 100n);
    if (rateOre === null || rateOre < 0) add('rate', 'amount_format', `the rate '${rateText}' is not an amount in kr. like 250,00.`);

    const amountText = get('amount');
    let amountOre: number | null = null;
    if (amountText !== '') {
      const amountDecimal = parseExactDecimal(amountText, 'either');
      amountOre = amountDecimal === null ? null : scaleExact(amountDecimal, 100n);
      if (amountOre === null) add('amount', 'amount_format', `the amount '${amountText}' is not an amount in kr. like 1.250,00.`);
    } else if (minutes !== null && rateOre !== null && rateOre >= 0) {
      amountOre = lineAmountOre(minutes, rateOre);
    }

    const contactText = get('contact_form').toLowerCase();
    let contactForm: ContactForm | null = null;
    if (contactText !== '') {
      contactForm = CONTACT_FORMS[contactText] ?? null;
      if (contactForm === null) add('contact_form', 'contact_form', `the contact form '${contactText}' is not in_person, phone or video.`);
    }

    const transportText = get('transport').toLowerCase();
    let transport: TransportKind | null = null;
    if (transportText !== '') {
      transport = TRANSPORTS[transportText] ?? null;
      if (transport === null) add('transport', 'transport', `the transport '${transportText}' is not public_transport, car or bicycle_or_walk.`);
    }

    const description = get('description');
    if (errors.length === 0 && minutes !== null && rateOre !== null && amountOre !== null) {
      lines.push({
        lineNo: lines.length + 1,
        grantReference,
        date,
        minutes,
        quantityText: minutesText,
        unitCode: 'MIN',
        rateOre,
        amountOre,
        contactForm,
        transport,
        description: description === '' ? null : description,
      });
    }
  }
  if (errors.length === 0 && lines.length === 0) {
    errors.push({ field: 'rows', rule: 'required', message: 'The file has a header but no lines.' });
  }
  if (errors.length > 0) return { ok: false, errors };
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
