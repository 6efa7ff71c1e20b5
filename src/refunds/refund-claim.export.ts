import { columnTotal, readableDate, type Cell, type ReadableTable, type Table } from '../common/export/table-export';
import { formatKroner } from '../common/web/format';
import type { RefundClaim } from './refund.rules';

/** The claim's lines as the machine table (`?format=raw`): exact øre as whole numbers, codes, and kroner as text for reading. */
export function refundClaimTable(claim: RefundClaim): Table {
  return {
    name: 'Refusion',
    columns: ['year', 'category', 'rate_percent', 'account_code', 'expenses', 'expense_ore', 'refund_ore', 'capped_off_ore', 'claimed_ore', 'claimed_kr'],
    rows: claim.lines.map((line) => [
      line.year,
      line.category,
      line.ratePercent,
      line.accountCode,
      line.expenses,
      line.expenseOre,
      line.refundOre,
      line.cappedOffOre,
      line.claimedOre,
      formatKroner(line.claimedOre),
    ]),
  };
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** The claim for people: the period and status over the lines, categories by name, kroner as numbers, and a totals row. */
export function readableRefundClaimTable(claim: RefundClaim, status: 'draft' | 'submitted', t: Translate, language: 'da' | 'en'): ReadableTable {
  const from = readableDate(claim.from, language);
  const to = readableDate(claim.to, language);
  const rows: Cell[][] = claim.lines.map((line) => [
    line.year,
    t(`finance.refund_category.${line.category}`),
    line.ratePercent * 100,
    line.accountCode ?? t('export.refund.no_account'),
    line.expenses,
    line.expenseOre,
    line.refundOre,
    line.cappedOffOre,
    line.claimedOre,
  ]);
  return {
    name: t('export.refund.sheet'),
    title: t('export.refund.title', { from, to }),
    about: [
      [t('export.period'), `${from} – ${to}`],
      [t('export.refund.status'), t(`export.refund.status.${status}`)],
      [t('export.filters'), t('export.no_filters')],
    ],
    columns: [
      { header: t('export.refund.year'), kind: 'integer' },
      { header: t('export.refund.category'), kind: 'text' },
      { header: t('export.refund.rate'), kind: 'percent' },
      { header: t('export.refund.account'), kind: 'text' },
      { header: t('export.refund.expenses'), kind: 'integer' },
      { header: t('export.refund.expense'), kind: 'kroner' },
      { header: t('export.refund.refund'), kind: 'kroner' },
      { header: t('export.refund.capped'), kind: 'kroner' },
      { header: t('export.refund.claimed'), kind: 'kroner' },
    ],
    rows,
    totals: [t('export.total'), null, null, null, ...[4, 5, 6, 7, 8].map((column) => columnTotal(rows, column))],
    language,
  };
}
