import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import type { CeilingBalance, CeilingEntry } from './ceiling-ledger.rules';

/** The SQL of the ceiling ledger (`ceiling_ledger_entry`): entries are only ever appended; balances are sums. */
export const CEILING_LEDGER_SQL = sqlQueries('suppliers/ceiling-ledger.store', {
  append: `
    INSERT INTO ceiling_ledger_entry (agreement_id, kind, invoice_id, pending_delta_ore, approved_delta_ore)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::bigint[])`,
  balancesOf: `
    SELECT agreement_id AS "agreementId", sum(pending_delta_ore)::text AS pending, sum(approved_delta_ore)::text AS approved
      FROM ceiling_ledger_entry WHERE agreement_id = ANY($1::uuid[])
     GROUP BY agreement_id`,
  allBalances: `
    SELECT agreement_id AS "agreementId", sum(pending_delta_ore)::text AS pending, sum(approved_delta_ore)::text AS approved
      FROM ceiling_ledger_entry
     GROUP BY agreement_id`,
});

const Q = CEILING_LEDGER_SQL;

/** Appends the entries in one statement. */
export async function appendCeilingEntries(manager: EntityManager, entries: readonly CeilingEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await manager.query(Q.append, [entries.map((e) => e.agreementId), entries.map((e) => e.kind), entries.map((e) => e.invoiceId), entries.map((e) => e.pendingDeltaOre), entries.map((e) => e.approvedDeltaOre)]);
}

/** The balances of these agreements (all when null) in one grouped sum; an agreement without entries is absent. */
export async function ceilingBalances(manager: EntityManager, agreementIds: readonly string[] | null): Promise<Map<string, CeilingBalance>> {
  if (agreementIds !== null && agreementIds.length === 0) return new Map();
  const rows = (await (agreementIds === null ? manager.query(Q.allBalances) : manager.query(Q.balancesOf, [agreementIds]))) as Array<{ agreementId: string; pending: string; approved: string }>;
  return new Map(rows.map((row) => [row.agreementId, { pendingOre: readOre(row.pending), approvedOre: readOre(row.approved) }]));
}

