import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statements that scale: a draft stores its totals and the approval watermark it covers, not a link per
 * delivery nor its lines (those are computed on read); the lines are written once, at finalisation. Which
 * statement paid a delivery is the delivery's own `billed_by_statement_id`, owned by invoices and set only
 * by a final statement. The links of final statements are carried over; those of drafts are dropped (a draft
 * covers what its watermark says).
 */
export class StatementWatermark1763889000000 implements MigrationInterface {
  name = 'StatementWatermark1763889000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE delivery ADD COLUMN billed_by_statement_id uuid`);
    await q(`
      UPDATE delivery d SET billed_by_statement_id = l.statement_id
        FROM statement_line l JOIN statement s ON s.id = l.statement_id AND s.status = 'final'
       WHERE l.delivery_id = d.id`);
    await q(`CREATE INDEX delivery_billed_by_idx ON delivery (billed_by_statement_id) WHERE billed_by_statement_id IS NOT NULL`);
    // The deliveries a month still has to bill, found without reading the billed ones.
    await q(`CREATE INDEX delivery_unbilled_idx ON delivery (supplier_id, delivered_on) WHERE billed_by_statement_id IS NULL AND status IN ('approved', 'partly_approved')`);
    // Credit lines still to bill, read per supplier without its whole history of sessions.
    await q(`CREATE INDEX delivery_unbilled_credit_idx ON delivery (supplier_id) WHERE kind = 'credit' AND billed_by_statement_id IS NULL`);
    await q(`DROP TABLE statement_line`);

    await q(`ALTER TABLE statement ADD COLUMN approved_through timestamptz`);
    await q(`ALTER TABLE statement ALTER COLUMN content DROP NOT NULL`);
    // The final statements' trigger refuses any update of theirs; only drafts change here.
    await q(`UPDATE statement SET approved_through = created_at, content = NULL WHERE status = 'draft'`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_draft_watermark CHECK (status = 'final' OR (approved_through IS NOT NULL AND content IS NULL))`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_final_content CHECK (status = 'draft' OR content IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    // Drafts have no stored lines to go back to; the next run builds them again.
    await q(`DELETE FROM statement WHERE status = 'draft'`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_final_content`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_draft_watermark`);
    await q(`ALTER TABLE statement ALTER COLUMN content SET NOT NULL`);
    await q(`ALTER TABLE statement DROP COLUMN approved_through`);
    await q(`
      CREATE TABLE statement_line (
        delivery_id uuid PRIMARY KEY REFERENCES delivery(id),
        statement_id uuid NOT NULL REFERENCES statement(id) ON DELETE CASCADE
      )`);
    await q(`CREATE INDEX statement_line_statement_idx ON statement_line (statement_id)`);
    await q(`INSERT INTO statement_line (delivery_id, statement_id) SELECT id, billed_by_statement_id FROM delivery WHERE billed_by_statement_id IS NOT NULL`);
    await q(`DROP INDEX delivery_unbilled_credit_idx`);
    await q(`DROP INDEX delivery_unbilled_idx`);
    await q(`DROP INDEX delivery_billed_by_idx`);
    await q(`ALTER TABLE delivery DROP COLUMN billed_by_statement_id`);
  }
}
