import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agreement through its whole term: its contacts, a termination (date and reason) as a state of its own, an
 * optional committed volume of hours per period, and an append-only history of every change to its terms.
 * Beside it the contract documents (the bytes in a table of their own, behind the document storage, with their
 * SHA-256), supervision visits (tilsyn) and penalties. Suppliers add two kinds: another municipal department
 * (internal) and an education institution.
 */
export class AgreementTerm1763891200000 implements MigrationInterface {
  name = 'AgreementTerm1763891200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE supplier DROP CONSTRAINT supplier_kind_check`);
    await q(`ALTER TABLE supplier ADD CONSTRAINT supplier_kind_check CHECK (kind IN ('mentor_supplier', 'partner_company', 'internal', 'education_institution'))`);
    await q(`
      ALTER TABLE agreement
        ADD COLUMN contact_name text CHECK (length(contact_name) BETWEEN 1 AND 200),
        ADD COLUMN contact_email text CHECK (length(contact_email) BETWEEN 3 AND 200),
        ADD COLUMN contact_phone text CHECK (length(contact_phone) BETWEEN 1 AND 50),
        ADD COLUMN status text NOT NULL DEFAULT 'in_force' CHECK (status IN ('in_force', 'terminated')),
        ADD COLUMN terminated_on date,
        ADD COLUMN termination_reason text CHECK (length(termination_reason) BETWEEN 1 AND 2000),
        ADD COLUMN committed_minutes int CHECK (committed_minutes > 0),
        ADD COLUMN commitment_period text CHECK (commitment_period IN ('month', 'quarter', 'year')),
        ADD CONSTRAINT agreement_termination_whole CHECK ((status = 'terminated') = (terminated_on IS NOT NULL AND termination_reason IS NOT NULL)),
        ADD CONSTRAINT agreement_termination_in_period CHECK (terminated_on IS NULL OR terminated_on BETWEEN valid_from AND valid_to),
        ADD CONSTRAINT agreement_commitment_whole CHECK ((committed_minutes IS NULL) = (commitment_period IS NULL))`);
    await q(`
      CREATE TABLE agreement_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        action text NOT NULL CHECK (action IN ('edited', 'extended', 'terminated')),
        change jsonb NOT NULL,
        actor_id uuid REFERENCES app_user(id),
        actor_label text,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q(`CREATE INDEX agreement_history_agreement ON agreement_history (agreement_id, recorded_at)`);
    await q(`
      CREATE FUNCTION agreement_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'agreement_history is append-only' USING ERRCODE = 'check_violation';
      END $$`);
    await q(`CREATE TRIGGER agreement_history_no_change BEFORE UPDATE OR DELETE ON agreement_history FOR EACH ROW EXECUTE FUNCTION agreement_history_append_only()`);
    await q(`
      CREATE TABLE agreement_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        kind text NOT NULL CHECK (kind IN ('signed_agreement', 'mentor_contract', 'other')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        content_type text NOT NULL CHECK (content_type = 'application/pdf'),
        size_bytes int NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by uuid REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX agreement_document_agreement ON agreement_document (agreement_id, uploaded_at)`);
    await q(`
      CREATE TABLE agreement_document_content (
        document_id uuid PRIMARY KEY REFERENCES agreement_document(id),
        content bytea NOT NULL
      )`);
    await q(`
      CREATE TABLE supervision_visit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        visited_on date NOT NULL,
        findings text NOT NULL CHECK (length(findings) BETWEEN 1 AND 4000),
        follow_up_on date CHECK (follow_up_on >= visited_on),
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX supervision_visit_agreement ON supervision_visit (agreement_id, visited_on)`);
    await q(`
      CREATE TABLE agreement_penalty (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        imposed_on date NOT NULL,
        amount_ore bigint NOT NULL CHECK (amount_ore > 0),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX agreement_penalty_agreement ON agreement_penalty (agreement_id, imposed_on)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TABLE agreement_penalty`);
    await q(`DROP TABLE supervision_visit`);
    await q(`DROP TABLE agreement_document_content`);
    await q(`DROP TABLE agreement_document`);
    await q(`DROP TABLE agreement_history`);
    await q(`DROP FUNCTION agreement_history_append_only()`);
    await q(`
      ALTER TABLE agreement
        DROP CONSTRAINT agreement_commitment_whole, DROP CONSTRAINT agreement_termination_in_period, DROP CONSTRAINT agreement_termination_whole,
        DROP COLUMN commitment_period, DROP COLUMN committed_minutes, DROP COLUMN termination_reason, DROP COLUMN terminated_on,
        DROP COLUMN status, DROP COLUMN contact_phone, DROP COLUMN contact_email, DROP COLUMN contact_name`);
    await q(`ALTER TABLE supplier DROP CONSTRAINT supplier_kind_check`);
    await q(`ALTER TABLE supplier ADD CONSTRAINT supplier_kind_check CHECK (kind IN ('mentor_supplier', 'partner_company'))`);
  }
}
