import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Month close by batches.
 *
 * A delivery's grant belongs to the delivery's supplier, as a key: the statement's totals and lines then need
 * no check of the grant's owner per delivery (intake already refuses another supplier's grant).
 *
 * A final statement's PDF is rendered after the transaction that numbers it, so that the number counter is not
 * held while pages are drawn and several workers render at once: a final statement has its number, lines and
 * totals from that transaction on, and its PDF is stored once, later (rendered from those stored lines). The
 * trigger still refuses every other change of a final statement, and a PDF once stored.
 */
export class MonthCloseBatches1763889200000 implements MigrationInterface {
  name = 'MonthCloseBatches1763889200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE mentor_grant ADD CONSTRAINT mentor_grant_id_supplier UNIQUE (id, supplier_id)`);
    await q(`ALTER TABLE delivery ADD CONSTRAINT delivery_grant_of_supplier FOREIGN KEY (grant_id, supplier_id) REFERENCES mentor_grant (id, supplier_id)`);
    // Implied by the composite key (supplier_id is never null).
    await q(`ALTER TABLE delivery DROP CONSTRAINT delivery_grant_id_fkey`);

    await q(`ALTER TABLE statement DROP CONSTRAINT statement_check2`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_final_numbered CHECK ((status = 'final') = (number IS NOT NULL AND finalised_at IS NOT NULL))`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_pdf_final CHECK (pdf IS NULL OR status = 'final')`);
    await q(`
      CREATE OR REPLACE FUNCTION statement_final_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A final statement's one allowed change: its PDF stored where there was none.
        IF OLD.status = 'final' AND NOT (TG_OP = 'UPDATE' AND OLD.pdf IS NULL AND NEW.pdf IS NOT NULL
                                         AND (to_jsonb(NEW) - 'pdf') = (to_jsonb(OLD) - 'pdf')) THEN
          RAISE EXCEPTION 'statement % is final and cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE OR REPLACE FUNCTION statement_final_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'final' THEN
          RAISE EXCEPTION 'statement % is final and cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_pdf_final`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_final_numbered`);
    // Final statements still without their PDF fail this; render them first.
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_check2 CHECK ((status = 'final') = (number IS NOT NULL AND pdf IS NOT NULL AND finalised_at IS NOT NULL))`);
    await q(`ALTER TABLE delivery ADD CONSTRAINT delivery_grant_id_fkey FOREIGN KEY (grant_id) REFERENCES mentor_grant (id)`);
    await q(`ALTER TABLE delivery DROP CONSTRAINT delivery_grant_of_supplier`);
    await q(`ALTER TABLE mentor_grant DROP CONSTRAINT mentor_grant_id_supplier`);
  }
}
