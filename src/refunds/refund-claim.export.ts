import type { Table } from '../common/export/table-export';
import { formatKroner } from '../common/web/format';
import type { RefundClaim } from './refund.rules';

/** The claim's lines as a table for CSV and XLSX: exact øre as whole numbers, and kroner as text for reading. */
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
