import { toCsv } from '../common/export/table-export';
import type { CalendarDate } from '../common/time/calendar-date';
import { sumExact } from '../invoices/invoice-amounts';
import { postingAccountOf, VAT_POSTING_ACCOUNT, type PostingAccount } from '../rules/rule-set';
import type { Statement } from './statement.rules';

/**
 * The posting export to the municipality's finance system (Opus, Prisme, KMD, EG): one line per account
 * posting of a final statement. A statement's net is posted per account code (function 5.68.90, its grouping,
 * dranst and art), its VAT separately, one line per VAT rate on the VAT account; so the net lines add up to
 * the statement's net and the VAT lines to its VAT, to the øre. Pure.
 */

export type PostingKind = 'net' | 'vat';

/** A final statement as the export reads it. */
export interface PostedStatement {
  statementId: string;
  number: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  supplierCvr: string;
  /** The supplier's GLN/EAN location number, or null when it has none. */
  supplierEan: string | null;
  content: Statement;
}

export interface PostingLine {
  statementNumber: string;
  /** 1, 2, … within the statement. */
  line: number;
  kind: PostingKind;
  functionCode: string;
  grouping: string | null;
  dranst: string | null;
  art: string;
  /** The account code as the statement holds it; null on a VAT line or where no rule matched. */
  accountCode: string | null;
  /** On a VAT line, the rate in basis points (2500 = 25 %); null on a net line. */
  vatBasisPoints: number | null;
  supplierCvr: string;
  supplierEan: string | null;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  /** Whole øre; a credit makes a net line negative. */
  amountOre: number;
}

function line(statement: PostedStatement, n: number, kind: PostingKind, account: PostingAccount, amountOre: number, vatBasisPoints: number | null): PostingLine {
  return {
    statementNumber: statement.number,
    line: n,
    kind,
    functionCode: account.functionCode,
    grouping: account.grouping,
    dranst: account.dranst,
    art: account.art,
    accountCode: account.accountCode,
    vatBasisPoints,
    supplierCvr: statement.supplierCvr,
    supplierEan: statement.supplierEan,
    issuedOn: statement.issuedOn,
    dueOn: statement.dueOn,
    amountOre,
  };
}

/** The statement's postings: its net per account code (as the statement orders them), then its VAT per rate (rates without VAT left out). */
export function statementPostings(statement: PostedStatement): PostingLine[] {
  const lines: PostingLine[] = [];
  for (const account of statement.content.accounts) {
    lines.push(line(statement, lines.length + 1, 'net', postingAccountOf(account.accountCode), account.netOre, null));
  }
  for (const rate of statement.content.vat) {
    if (rate.vatOre === 0) continue;
    lines.push(line(statement, lines.length + 1, 'vat', VAT_POSTING_ACCOUNT, rate.vatOre, rate.vatBasisPoints));
  }
  return lines;
}

/** The postings of several statements, by statement number. */
export function postingsOf(statements: readonly PostedStatement[]): PostingLine[] {
  return [...statements].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0)).flatMap(statementPostings);
}

/** Øre as kroner with a decimal point and two decimals, exact: -12345 → '-123.45'. */
export function oreAsDecimal(ore: number): string {
  if (!Number.isSafeInteger(ore)) throw new Error(`an amount must be whole øre, got ${ore}`);
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface PostingExportHead {
  /** null: nothing was left to export, and no export was stored. */
  exportId: string | null;
  /** When the export was made, ISO 8601 UTC. */
  exportedAt: string;
  /** The days of finalisation it covers, or the one statement it was asked for. */
  from: CalendarDate | null;
  to: CalendarDate | null;
  statementNumber: string | null;
}

export interface PostingTotals {
  lines: number;
  netOre: number;
  vatOre: number;
}

export function postingTotals(lines: readonly PostingLine[]): PostingTotals {
  return {
    lines: lines.length,
    netOre: sumExact(lines.filter((l) => l.kind === 'net').map((l) => l.amountOre), 'the postings’ net'),
    vatOre: sumExact(lines.filter((l) => l.kind === 'vat').map((l) => l.amountOre), 'the postings’ VAT'),
  };
}

export const POSTING_CSV_COLUMNS = [
  'export_id',
  'statement_number',
  'line',
  'kind',
  'function',
  'grouping',
  'dranst',
  'art',
  'account_code',
  'vat_rate_basis_points',
  'supplier_cvr',
  'supplier_ean',
  'issued_on',
  'due_on',
  'amount_ore',
] as const;

/** The export as CSV (';', CRLF, UTF-8 with BOM, as the portal's other exports): a header and one row per posting. */
export function postingCsv(head: PostingExportHead, lines: readonly PostingLine[]): string {
  return toCsv({
    name: 'Posteringer',
    columns: [...POSTING_CSV_COLUMNS],
    rows: lines.map((l) => [
      head.exportId,
      l.statementNumber,
      l.line,
      l.kind,
      l.functionCode,
      l.grouping,
      l.dranst,
      l.art,
      l.accountCode,
      l.vatBasisPoints,
      l.supplierCvr,
      l.supplierEan,
      l.issuedOn,
      l.dueOn,
      // Whole øre as an integer: a negative decimal text would be neutralised as a formula, and a number needs no rounding.
      l.amountOre,
    ]),
  });
}

/** The export as JSON text: its head, totals and lines, in a fixed key order. */
export function postingJson(head: PostingExportHead, lines: readonly PostingLine[]): string {
  return `${JSON.stringify({ ...head, totals: postingTotals(lines), lines: lines.map((l) => ({ ...l, amount: oreAsDecimal(l.amountOre) })) }, null, 2)}\n`;
}
