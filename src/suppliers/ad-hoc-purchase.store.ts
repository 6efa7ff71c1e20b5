import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import type { AdHocStatus } from './ad-hoc-purchase.rules';

export interface AdHocPurchase {
  id: string;
  supplierId: string;
  caseNumber: string;
  description: string;
  amountOre: number;
  /** The grant the purchase is for, when linked: its approved deliveries are what the purchase has spent. */
  grantId: string | null;
  status: AdHocStatus;
  proposedBy: string | null;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

const COLUMNS = `id, supplier_id AS "supplierId", case_number AS "caseNumber", description, amount_ore::text AS "amountOre", grant_id AS "grantId", status,
           proposed_by AS "proposedBy", to_char(proposed_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD HH24:MI') AS "proposedAt",
           decided_by AS "decidedBy", to_char(decided_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD HH24:MI') AS "decidedAt", decision_reason AS "decisionReason"`;

export const AD_HOC_PURCHASE_SQL = sqlQueries('suppliers/ad-hoc-purchase.store', {
  insert: `
    INSERT INTO ad_hoc_purchase (supplier_id, case_number, description, amount_ore, proposed_by, grant_id) VALUES ($1, $2, $3, $4, $5, $6)
    RETURNING id`,
  one: `SELECT ${COLUMNS} FROM ad_hoc_purchase WHERE id = $1`,
  list: `SELECT ${COLUMNS} FROM ad_hoc_purchase WHERE ($1::uuid IS NULL OR supplier_id = $1) ORDER BY proposed_at DESC, id LIMIT 500`,
  decide: `
    UPDATE ad_hoc_purchase SET status = $3, decided_by = $4, decided_at = now(), decision_reason = $5
     WHERE id = $1 AND status = $2`,
});

const Q = AD_HOC_PURCHASE_SQL;

type Row = Omit<AdHocPurchase, 'amountOre'> & { amountOre: string };
const fromRow = (row: Row): AdHocPurchase => ({ ...row, amountOre: readOre(row.amountOre) });

/** Every query on ad_hoc_purchase. */
@Injectable()
export class AdHocPurchaseStore {
  async insert(manager: EntityManager, values: { supplierId: string; caseNumber: string; description: string; amountOre: number; proposedBy: string | null; grantId: string | null }): Promise<string> {
    const rows = (await manager.query(Q.insert, [values.supplierId, values.caseNumber, values.description, values.amountOre, values.proposedBy, values.grantId])) as Array<{ id: string }>;
    return rows[0].id;
  }

  async findById(manager: EntityManager, id: string): Promise<AdHocPurchase | null> {
    const rows = (await manager.query(Q.one, [id])) as Row[];
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async list(manager: EntityManager, supplierId: string | null): Promise<AdHocPurchase[]> {
    return ((await manager.query(Q.list, [supplierId])) as Row[]).map(fromRow);
  }

  /** Decides a proposal in one conditional UPDATE; false when it was decided meanwhile. */
  async decide(manager: EntityManager, id: string, to: AdHocStatus, deciderId: string | null, reason: string | null): Promise<boolean> {
    const [, affected] = (await manager.query(Q.decide, [id, 'proposed', to, deciderId, reason])) as [unknown, number];
    return affected === 1;
  }
}
