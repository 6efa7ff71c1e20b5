import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hold and dispute between approval and payment, and the business responses a buyer sends back.
 * - An invoice can be held (status `held`): it remembers the state it was held from and returns there on release;
 *   `released_at` is when it became billable again, so a statement's approval watermark sees a released
 *   invoice as approved at its release.
 * - invoice_hold: each hold with its reason and release date; at most one active hold per invoice.
 * - finding_answer: the supplier's answer to a line's findings (accepted, or disputed until finance resolves it).
 * - invoice_thread_entry: the thread both sides see on the invoice page (append-only).
 * - business_response: the response (Peppol Invoice Response and OIOUBL ApplicationResponse) to a received
 *   e-invoice, each one a row of the outbox of what would be sent through an access point.
 */
export class HoldsAndDisputes1763890800000 implements MigrationInterface {
  name = 'HoldsAndDisputes1763890800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE invoice DROP CONSTRAINT invoice_status_check`);
    await q(`ALTER TABLE invoice ADD CONSTRAINT invoice_status_check CHECK (status IN ('draft', 'received', 'validated', 'approved', 'partly_approved', 'rejected', 'billed', 'held'))`);
    await q(`ALTER TABLE invoice ADD COLUMN held_from text CHECK (held_from IN ('validated', 'approved', 'partly_approved'))`);
    await q(`ALTER TABLE invoice ADD COLUMN released_at timestamptz`);
    await q(`ALTER TABLE invoice ADD CONSTRAINT invoice_held_from CHECK ((status = 'held') = (held_from IS NOT NULL))`);

    await q(`
      CREATE TABLE invoice_hold (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoice(id),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        status text NOT NULL CHECK (status IN ('active', 'released')),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        release_on date NOT NULL CHECK (release_on BETWEEN '2000-01-01' AND '2099-12-31'),
        held_by uuid NOT NULL REFERENCES app_user(id),
        held_at timestamptz NOT NULL DEFAULT now(),
        released_by uuid REFERENCES app_user(id),
        released_at timestamptz,
        release_kind text CHECK (release_kind IN ('manual', 'automatic')),
        CHECK ((status = 'released') = (released_at IS NOT NULL AND release_kind IS NOT NULL))
      )`);
    await q(`CREATE UNIQUE INDEX invoice_hold_one_active ON invoice_hold (invoice_id) WHERE status = 'active'`);
    await q(`CREATE INDEX invoice_hold_due_idx ON invoice_hold (release_on) WHERE status = 'active'`);

    await q(`
      CREATE TABLE finding_answer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoice(id),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        line_no int NOT NULL CHECK (line_no >= 1),
        status text NOT NULL CHECK (status IN ('accepted', 'disputed', 'resolved')),
        resolution text CHECK (resolution IN ('approved', 'rejected', 'replaced', 'credited')),
        answered_by uuid NOT NULL REFERENCES app_user(id),
        answered_at timestamptz NOT NULL DEFAULT now(),
        resolved_by uuid REFERENCES app_user(id),
        resolved_at timestamptz,
        CONSTRAINT finding_answer_once UNIQUE (invoice_id, line_no),
        CHECK ((status = 'resolved') = (resolution IS NOT NULL AND resolved_at IS NOT NULL))
      )`);

    await q(`
      CREATE TABLE invoice_thread_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        invoice_id uuid NOT NULL REFERENCES invoice(id),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        line_no int CHECK (line_no >= 1),
        kind text NOT NULL CHECK (kind IN ('held', 'released', 'accepted', 'disputed', 'answered', 'resolved')),
        author_user_id uuid REFERENCES app_user(id),
        author_side text NOT NULL CHECK (author_side IN ('supplier', 'finance', 'system')),
        comment text CHECK (length(comment) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX invoice_thread_entry_invoice_idx ON invoice_thread_entry (invoice_id, seq)`);

    await q(`
      CREATE TABLE business_response (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        invoice_id uuid NOT NULL REFERENCES invoice(id),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        response_code text NOT NULL CHECK (response_code IN ('AB', 'IP', 'UQ', 'CA', 'RE', 'AP', 'PD')),
        trigger text NOT NULL,
        reasons jsonb NOT NULL DEFAULT '[]',
        peppol_xml text NOT NULL,
        oioubl_xml text NOT NULL,
        outbox_status text NOT NULL DEFAULT 'pending' CHECK (outbox_status IN ('pending', 'sent')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX business_response_invoice_idx ON business_response (invoice_id, seq DESC)`);
    await q(`CREATE INDEX business_response_outbox_idx ON business_response (seq DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TABLE business_response`);
    await q(`DROP TABLE invoice_thread_entry`);
    await q(`DROP TABLE finding_answer`);
    await q(`DROP TABLE invoice_hold`);
    await q(`ALTER TABLE invoice DROP CONSTRAINT invoice_held_from`);
    await q(`ALTER TABLE invoice DROP COLUMN released_at`);
    await q(`ALTER TABLE invoice DROP COLUMN held_from`);
    await q(`ALTER TABLE invoice DROP CONSTRAINT invoice_status_check`);
    await q(`ALTER TABLE invoice ADD CONSTRAINT invoice_status_check CHECK (status IN ('draft', 'received', 'validated', 'approved', 'partly_approved', 'rejected', 'billed'))`);
  }
}
