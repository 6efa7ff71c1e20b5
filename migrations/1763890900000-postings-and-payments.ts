import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * From approved to paid: the posting export to the municipality's finance system and the payments it sends back.
 *
 * A final statement becomes paid once (final → paid) when a payment import names it with its total; its date and
 * amount are stored on it, and the trigger lets a final statement change only that way (or have its PDF stored).
 * Its deliveries and invoices are marked paid by the invoices module (`paid_on`). A posting export holds the files
 * it answered, byte for byte, and each final statement is in at most one export. A payment import is kept by its
 * file's hash, so the same file again changes nothing; an amount that differs is a finding for finance.
 */
export class PostingsAndPayments1763890900000 implements MigrationInterface {
  name = 'PostingsAndPayments1763890900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);

    await q(`
      CREATE TABLE payment_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        file_sha256 char(64) NOT NULL UNIQUE,
        filename text,
        rows int NOT NULL CHECK (rows >= 0),
        paid int NOT NULL CHECK (paid >= 0),
        unchanged int NOT NULL CHECK (unchanged >= 0),
        findings int NOT NULL CHECK (findings >= 0),
        created_by uuid REFERENCES app_user(id),
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q(`ALTER TABLE statement DROP CONSTRAINT statement_status_check`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_status_check CHECK (status IN ('draft', 'final', 'paid'))`);
    await q(`ALTER TABLE statement ADD COLUMN paid_on date`);
    await q(`ALTER TABLE statement ADD COLUMN paid_ore bigint`);
    await q(`ALTER TABLE statement ADD COLUMN payment_import_id uuid REFERENCES payment_import(id)`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_paid CHECK ((status = 'paid') = (paid_on IS NOT NULL AND paid_ore IS NOT NULL AND paid_ore = total_ore))`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_final_numbered`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_final_numbered CHECK ((status IN ('final', 'paid')) = (number IS NOT NULL AND finalised_at IS NOT NULL))`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_pdf_final`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_pdf_final CHECK (pdf IS NULL OR status IN ('final', 'paid'))`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_draft_watermark`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_draft_watermark CHECK (status <> 'draft' OR (approved_through IS NOT NULL AND content IS NULL))`);
    // What falls due: the open final statements by due date.
    await q(`CREATE INDEX statement_open_due_idx ON statement (due_on) WHERE status = 'final'`);
    await q(`
      CREATE OR REPLACE FUNCTION statement_final_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A final statement's two allowed changes: its PDF stored where there was none, and its payment registered
        -- once (final → paid, with the date, the amount and the import). A paid statement never changes.
        IF OLD.status = 'final' AND TG_OP = 'UPDATE' AND OLD.pdf IS NULL AND NEW.pdf IS NOT NULL
           AND (to_jsonb(NEW) - 'pdf') = (to_jsonb(OLD) - 'pdf') THEN
          RETURN NEW;
        END IF;
        IF OLD.status = 'final' AND TG_OP = 'UPDATE' AND NEW.status = 'paid'
           AND (to_jsonb(NEW) - 'status' - 'paid_on' - 'paid_ore' - 'payment_import_id') = (to_jsonb(OLD) - 'status' - 'paid_on' - 'paid_ore' - 'payment_import_id') THEN
          RETURN NEW;
        END IF;
        IF OLD.status IN ('final', 'paid') THEN
          RAISE EXCEPTION 'statement % is final and cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);

    // A payment whose amount or date differs from the statement's: kept for finance, once per statement, amount and date.
    await q(`
      CREATE TABLE payment_finding (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_import_id uuid NOT NULL REFERENCES payment_import(id),
        statement_id uuid NOT NULL REFERENCES statement(id),
        code text NOT NULL CHECK (code IN ('payment_amount_differs', 'payment_after_paid')),
        expected_ore bigint NOT NULL,
        paid_ore bigint NOT NULL CHECK (paid_ore > 0),
        paid_on date NOT NULL,
        row_number int NOT NULL CHECK (row_number >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_finding_once UNIQUE (statement_id, paid_ore, paid_on)
      )`);
    await q(`CREATE INDEX payment_finding_created_idx ON payment_finding (created_at DESC)`);

    // A posting export: the files it answered, kept byte for byte, so a re-export of its id is the same file.
    await q(`
      CREATE TABLE posting_export (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period_from date,
        period_to date,
        statement_id uuid REFERENCES statement(id),
        lines int NOT NULL CHECK (lines >= 0),
        net_ore bigint NOT NULL,
        vat_ore bigint NOT NULL,
        csv text NOT NULL,
        json text NOT NULL,
        created_by uuid REFERENCES app_user(id),
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((statement_id IS NULL) = (period_from IS NOT NULL AND period_to IS NOT NULL)),
        CHECK (period_to IS NULL OR period_to >= period_from)
      )`);
    await q(`CREATE INDEX posting_export_created_idx ON posting_export (created_at DESC)`);
    // Each final statement is exported once.
    await q(`
      CREATE TABLE posting_export_statement (
        statement_id uuid PRIMARY KEY REFERENCES statement(id),
        -- Checked at commit: a statement is claimed for the export first, then the export is stored with its files.
        posting_export_id uuid NOT NULL REFERENCES posting_export(id) DEFERRABLE INITIALLY DEFERRED
      )`);
    await q(`CREATE INDEX posting_export_statement_export_idx ON posting_export_statement (posting_export_id)`);
    await q(`
      CREATE FUNCTION posting_export_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a posting export is kept as it was exported' USING ERRCODE = 'check_violation';
      END $$`);
    await q(`CREATE TRIGGER posting_export_no_change BEFORE UPDATE OR DELETE ON posting_export FOR EACH ROW EXECUTE FUNCTION posting_export_append_only()`);
    await q(`CREATE TRIGGER posting_export_statement_no_change BEFORE UPDATE OR DELETE ON posting_export_statement FOR EACH ROW EXECUTE FUNCTION posting_export_append_only()`);

    // The invoices module's side: a delivery and an invoice paid, with the day.
    await q(`ALTER TABLE delivery ADD COLUMN paid_on date`);
    await q(`ALTER TABLE invoice ADD COLUMN paid_on date`);
    await q(`ALTER TABLE invoice DROP CONSTRAINT invoice_status_check`);
    await q(`ALTER TABLE invoice ADD CONSTRAINT invoice_status_check CHECK (status IN ('draft', 'received', 'validated', 'approved', 'partly_approved', 'rejected', 'billed', 'held', 'paid'))`);
    await q(`ALTER TABLE invoice ADD CONSTRAINT invoice_paid CHECK ((status = 'paid') = (paid_on IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE invoice DROP CONSTRAINT invoice_paid`);
    await q(`UPDATE invoice SET status = 'billed' WHERE status = 'paid'`);
    await q(`ALTER TABLE invoice DROP CONSTRAINT invoice_status_check`);
    await q(`ALTER TABLE invoice ADD CONSTRAINT invoice_status_check CHECK (status IN ('draft', 'received', 'validated', 'approved', 'partly_approved', 'rejected', 'billed', 'held'))`);
    await q(`ALTER TABLE invoice DROP COLUMN paid_on`);
    await q(`ALTER TABLE delivery DROP COLUMN paid_on`);
    await q(`DROP TABLE posting_export_statement`);
    await q(`DROP TABLE posting_export`);
    await q(`DROP FUNCTION posting_export_append_only()`);
    await q(`DROP TABLE payment_finding`);
    // Paid statements go back to final: the trigger is put back first to let that through.
    await q(`
      CREATE OR REPLACE FUNCTION statement_final_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'final' AND NOT (TG_OP = 'UPDATE' AND OLD.pdf IS NULL AND NEW.pdf IS NOT NULL
                                         AND (to_jsonb(NEW) - 'pdf') = (to_jsonb(OLD) - 'pdf')) THEN
          RAISE EXCEPTION 'statement % is final and cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_paid`);
    await q(`UPDATE statement SET status = 'final' WHERE status = 'paid'`);
    await q(`DROP INDEX statement_open_due_idx`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_draft_watermark`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_draft_watermark CHECK (status = 'final' OR (approved_through IS NOT NULL AND content IS NULL))`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_pdf_final`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_pdf_final CHECK (pdf IS NULL OR status = 'final')`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_final_numbered`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_final_numbered CHECK ((status = 'final') = (number IS NOT NULL AND finalised_at IS NOT NULL))`);
    await q(`ALTER TABLE statement DROP COLUMN payment_import_id`);
    await q(`ALTER TABLE statement DROP COLUMN paid_ore`);
    await q(`ALTER TABLE statement DROP COLUMN paid_on`);
    await q(`ALTER TABLE statement DROP CONSTRAINT statement_status_check`);
    await q(`ALTER TABLE statement ADD CONSTRAINT statement_status_check CHECK (status IN ('draft', 'final'))`);
    await q(`DROP TABLE payment_import`);
  }
}
