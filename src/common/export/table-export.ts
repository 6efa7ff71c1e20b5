import { Workbook, type CellValue, type Row } from 'exceljs';
import { stringify } from 'csv-stringify/sync';

/**
 * Tables out of the portal as CSV (Danish Excel: ';', UTF-8 with BOM, through csv-stringify) and XLSX (one
 * sheet, through exceljs). Two shapes: the machine table (`Table`: codes, whole øre and minutes, for
 * integrators, `?format=raw`) and the table for people (`ReadableTable`: a title, the period and filters
 * over it, headers and labels in the reader's language, kroner as numbers with two decimals, dates as dates,
 * a totals row). A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return
 * first) is neutralised with a leading apostrophe in both; numbers stay numbers.
 */
export type Cell = string | number | null;

export interface Table {
  /** The sheet's name in the XLSX file. */
  name: string;
  columns: string[];
  rows: Cell[][];
}

/**
 * How a readable column's cells are given and shown: `kroner` cells are whole øre shown as kroner with two
 * decimals, `date` cells are calendar dates ('YYYY-MM-DD'), `percent` cells hundredths of a percent
 * (2850 → 28,5 %), `month` calendar months ('YYYY-MM'), `integer` whole numbers (counts, minutes), `text` text.
 */
export type ColumnKind = 'text' | 'kroner' | 'integer' | 'percent' | 'date' | 'month';

export interface ReadableColumn {
  header: string;
  kind: ColumnKind;
}

export interface ReadableTable {
  /** The sheet's name in the XLSX file. */
  name: string;
  /** The first line: what the table is. */
  title: string;
  /** Lines under the title: label and value, e.g. ['Periode', '01-01-2026 – 31-03-2026'], ['Filtre', 'ingen']. */
  about: Array<[string, string]>;
  columns: ReadableColumn[];
  rows: Cell[][];
  /** The last row, e.g. ['I alt', null, 1234500]; null for none. */
  totals: Cell[] | null;
  language: 'da' | 'en';
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe for spreadsheets: "=cmd|' /C calc'!A0" → "'=cmd|' /C calc'!A0". */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

// XML 1.0 allows tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and U+10000 on; other characters are dropped.
const isXmlChar = (code: number): boolean =>
  code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;

const xmlChars = (text: string): string => [...text].filter((c) => isXmlChar(c.codePointAt(0) as number)).join('');

function finite(cell: number, format: string): number {
  // A table's numbers are whole øre, minutes and counts from the rules: NaN or Infinity is a bug in the table.
  if (!Number.isFinite(cell)) throw new Error(`a ${format} cell must be a finite number, got ${cell}`);
  return cell;
}

function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(finite(cell, 'CSV'));
  return neutralise(cell);
}

/** Records as CSV with ';' and CRLF, UTF-8 with a BOM so Excel reads æøå; quoted where a field needs it. */
function csvOf(records: string[][]): string {
  return `\ufeff${stringify(records, { delimiter: ';', record_delimiter: 'windows', quoted_match: /\r|\n/ })}`;
}

/** The machine table as CSV. */
export function toCsv(table: Table): string {
  return csvOf([table.columns, ...table.rows].map((row) => row.map(csvCell)));
}

/** The sheet's name as Excel allows it: no \ / ? * [ ] :, no apostrophe first or last, at most 31 characters, never empty. */
function sheetName(name: string): string {
  return (
    xmlChars(name)
      .replace(/[\\/?*[\]:]/g, ' ')
      .slice(0, 31)
      .trim()
      .replace(/^'+|'+$/g, '')
      .trim() || 'Ark1'
  );
}

async function workbookBuffer(workbook: Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Characters XML cannot hold go before the formula check, so what is left cannot start a formula ('\u0000=' → "'="). */
const xlsxText = (text: string): string => neutralise(xmlChars(text));

/** The machine table as a one-sheet XLSX workbook: numbers as numbers, text as text. */
/**
 * A worksheet with a printer resolution of its own: the library's default writes "unknown" as 4294967295 dpi,
 * ten digits in a row that a CPR scan of an export cannot tell from a number.
 */
function addSheet(workbook: Workbook, name: string) {
  return workbook.addWorksheet(sheetName(name), { pageSetup: { horizontalDpi: 300, verticalDpi: 300 } });
}

export async function toXlsx(table: Table): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = addSheet(workbook, table.name);
  for (const row of [table.columns, ...table.rows]) {
    sheet.addRow(row.map((cell) => (cell === null ? null : typeof cell === 'number' ? finite(cell, 'XLSX') : xlsxText(cell))));
  }
  return workbookBuffer(workbook);
}

// ---- tables for people ----

/** Kroner with two decimals in the language, no grouping, as a spreadsheet reads it from a CSV: '1234,50' / '1234.50'. */
function kronerText(ore: number, language: 'da' | 'en'): string {
  if (!Number.isSafeInteger(ore)) throw new Error(`a kroner cell needs whole øre, got ${ore}`);
  const abs = Math.abs(ore);
  return `${ore < 0 ? '-' : ''}${Math.floor(abs / 100)}${language === 'da' ? ',' : '.'}${String(abs % 100).padStart(2, '0')}`;
}

function percentText(hundredths: number, language: 'da' | 'en'): string {
  const abs = Math.abs(Math.round(hundredths));
  const fraction = abs % 100;
  const whole = `${hundredths < 0 ? '-' : ''}${Math.floor(abs / 100)}`;
  return fraction === 0 ? whole : `${whole}${language === 'da' ? ',' : '.'}${String(fraction).padStart(2, '0')}`;
}

/** A calendar date as the reader writes it: '05-10-2026' in Danish, '2026-10-05' in English. */
export function readableDate(date: string, language: 'da' | 'en'): string {
  const [y, m, d] = date.split('-');
  return language === 'da' ? `${d}-${m}-${y}` : date;
}

function readableCsvCell(cell: Cell, kind: ColumnKind, language: 'da' | 'en'): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return kind === 'date' ? readableDate(cell, language) : neutralise(cell);
  finite(cell, 'CSV');
  if (kind === 'kroner') return kronerText(cell, language);
  if (kind === 'percent') return percentText(cell, language);
  return String(cell);
}

/** The table for people as CSV: the title and its lines, an empty line, the headers, the rows and the totals. */
export function toReadableCsv(table: ReadableTable): string {
  const records: string[][] = [[neutralise(table.title)], ...table.about.map(([label, value]) => [neutralise(label), neutralise(value)]), []];
  records.push(table.columns.map((column) => neutralise(column.header)));
  for (const row of [...table.rows, ...(table.totals ? [table.totals] : [])]) records.push(row.map((cell, c) => readableCsvCell(cell, table.columns[c]?.kind ?? 'text', table.language)));
  return csvOf(records);
}

export const KRONER_FORMAT = '#,##0.00';
const DATE_FORMAT = { da: 'dd-mm-yyyy', en: 'yyyy-mm-dd' } as const;
const MONTH_FORMAT = 'yyyy-mm';
const PERCENT_FORMAT = '0.0#" %"';

function xlsxValue(cell: Cell, kind: ColumnKind): CellValue {
  if (cell === null) return null;
  if (typeof cell === 'string') {
    if (kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(cell)) return new Date(`${cell}T00:00:00Z`);
    if (kind === 'month' && /^\d{4}-\d{2}$/.test(cell)) return new Date(`${cell}-01T00:00:00Z`);
    return xlsxText(cell);
  }
  finite(cell, 'XLSX');
  // A spreadsheet holds kroner as a binary fraction whatever we do; the exact øre stay in the raw export.
  if (kind === 'kroner') return cell / 100;
  if (kind === 'percent') return cell / 100;
  return cell;
}

/** The table for people as an XLSX workbook: number formats on the columns, bold headers and totals, frozen headers. */
export async function toReadableXlsx(table: ReadableTable): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = addSheet(workbook, table.name);
  sheet.addRow([xlsxText(table.title)]).font = { bold: true, size: 13 };
  for (const [label, value] of table.about) sheet.addRow([xlsxText(label), xlsxText(value)]);
  sheet.addRow([]);
  const header = sheet.addRow(table.columns.map((column) => xlsxText(column.header)));
  header.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: header.number }];
  const write = (cells: Cell[]): Row => {
    const row = sheet.addRow(cells.map((cell, c) => xlsxValue(cell, table.columns[c]?.kind ?? 'text')));
    table.columns.forEach((column, c) => {
      const format = column.kind === 'kroner' ? KRONER_FORMAT : column.kind === 'date' ? DATE_FORMAT[table.language] : column.kind === 'month' ? MONTH_FORMAT : column.kind === 'percent' ? PERCENT_FORMAT : column.kind === 'integer' ? '#,##0' : undefined;
      if (format) row.getCell(c + 1).numFmt = format;
    });
    return row;
  };
  for (const cells of table.rows) write(cells);
  if (table.totals) write(table.totals).font = { bold: true };
  table.columns.forEach((column, c) => {
    sheet.getColumn(c + 1).width = Math.min(48, Math.max(12, column.header.length + 2, ...table.rows.map((row) => (typeof row[c] === 'string' ? (row[c] as string).length + 2 : 0))));
  });
  return workbookBuffer(workbook);
}

/** Sums whole numbers exactly (øre, minutes, counts); null cells count as nothing. */
export function columnTotal(rows: Cell[][], column: number): number {
  let total = 0;
  for (const row of rows) {
    const cell = row[column];
    if (typeof cell === 'number') total += cell;
  }
  if (!Number.isSafeInteger(total)) throw new Error(`a total outside the safe integers: ${total}`);
  return total;
}
