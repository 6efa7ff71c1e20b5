import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agreement's ceiling use becomes a sum over an append-only ledger instead of two counters that were moved
 * in four places and clamped at zero (so drift was hidden). Each entry moves the pending and the approved
 * balance: an invoice submitted (pending up), approved (pending released, approved booked), rejected (pending
 * released), a credit note approved (approved down). Today's counters are carried over as one opening entry per
 * agreement, then the counters are dropped: the ledger is the one source of truth.
 */
export class CeilingLedger1763889100000 implements MigrationInterface {
  name = 'CeilingLedger1763889100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    // invoice_id has no foreign key: the ledger belongs to the suppliers module, below the invoices module.
    await q(`
      CREATE TABLE ceiling_ledger_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        kind text NOT NULL CHECK (kind IN ('opening', 'submitted', 'approved', 'rejected', 'credited')),
        invoice_id uuid,
        pending_delta_ore bigint NOT NULL,
        approved_delta_ore bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'opening') = (invoice_id IS NULL)),
        CHECK (pending_delta_ore <> 0 OR approved_delta_ore <> 0),
        CHECK (CASE kind
          WHEN 'opening' THEN pending_delta_ore >= 0 AND approved_delta_ore >= 0
          WHEN 'submitted' THEN pending_delta_ore > 0 AND approved_delta_ore = 0
          WHEN 'approved' THEN pending_delta_ore <= 0 AND approved_delta_ore >= 0
          WHEN 'rejected' THEN pending_delta_ore < 0 AND approved_delta_ore = 0
          WHEN 'credited' THEN pending_delta_ore = 0 AND approved_delta_ore < 0
        END)
      )`);
    // The balance of an agreement is read on every invoice intake: an index-only sum.
    await q(`CREATE INDEX ceiling_ledger_entry_agreement_idx ON ceiling_ledger_entry (agreement_id) INCLUDE (pending_delta_ore, approved_delta_ore)`);
    // An invoice moves an agreement's balance once per step; a repeated step is refused by the database.
    await q(`CREATE UNIQUE INDEX ceiling_ledger_entry_step_key ON ceiling_ledger_entry (invoice_id, agreement_id, kind) WHERE invoice_id IS NOT NULL`);
    await q(`CREATE UNIQUE INDEX ceiling_ledger_entry_opening_key ON ceiling_ledger_entry (agreement_id) WHERE kind = 'opening'`);
    await q(`
      INSERT INTO ceiling_ledger_entry (agreement_id, kind, pending_delta_ore, approved_delta_ore, created_at)
      SELECT id, 'opening', consumed_pending_ore, consumed_approved_ore, now() FROM agreement
       WHERE consumed_pending_ore <> 0 OR consumed_approved_ore <> 0`);
    await q(`ALTER TABLE agreement DROP COLUMN consumed_approved_ore, DROP COLUMN consumed_pending_ore`);
    await q(`
      CREATE FUNCTION ceiling_ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ceiling_ledger_entry is append-only; a correction is a new entry' USING ERRCODE = 'check_violation';
      END $$`);
    await q(`CREATE TRIGGER ceiling_ledger_entry_no_change BEFORE UPDATE OR DELETE ON ceiling_ledger_entry FOR EACH ROW EXECUTE FUNCTION ceiling_ledger_entry_append_only()`);
    await q(`CREATE TRIGGER ceiling_ledger_entry_no_truncate BEFORE TRUNCATE ON ceiling_ledger_entry FOR EACH STATEMENT EXECUTE FUNCTION ceiling_ledger_entry_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE agreement ADD COLUMN consumed_approved_ore bigint NOT NULL DEFAULT 0 CHECK (consumed_approved_ore >= 0), ADD COLUMN consumed_pending_ore bigint NOT NULL DEFAULT 0 CHECK (consumed_pending_ore >= 0)`);
    await q(`
      UPDATE agreement a SET consumed_pending_ore = s.pending, consumed_approved_ore = s.approved
        FROM (SELECT agreement_id, sum(pending_delta_ore) AS pending, sum(approved_delta_ore) AS approved FROM ceiling_ledger_entry GROUP BY agreement_id) s
       WHERE s.agreement_id = a.id`);
    await q(`DROP TABLE ceiling_ledger_entry`);
    await q(`DROP FUNCTION ceiling_ledger_entry_append_only`);
  }
}
