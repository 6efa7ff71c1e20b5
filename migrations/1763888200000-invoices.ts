import { MigrationInterface, QueryRunner } from 'typeorm';

/** Invoices and their deliveries: every invoiced session, validated, approved at most once. */
export class Invoices1763888200000 implements MigrationInterface {
  name = 'Invoices1763888200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE invoice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- The order of receipt: an invoice is validated against the deliveries of invoices received before it.
        seq bigserial NOT NULL UNIQUE,
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        invoice_number text NOT NULL CHECK (length(invoice_number) BETWEEN 1 AND 60),
        document_type text NOT NULL CHECK (document_type IN ('invoice', 'credit_note')),
        source text NOT NULL CHECK (source IN ('portal', 'csv', 'ubl', 'registration')),
        content_hash char(64) NOT NULL,
        issue_date date NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL,
        currency char(3) NOT NULL DEFAULT 'DKK' CHECK (currency = 'DKK'),
        vat_basis_points int NOT NULL CHECK (vat_basis_points BETWEEN 0 AND 10000),
        net_ore bigint NOT NULL,
        vat_ore bigint NOT NULL,
        total_ore bigint NOT NULL,
        approvable_ore bigint NOT NULL,
        approved_ore bigint,
        error_count int NOT NULL DEFAULT 0 CHECK (error_count >= 0),
        warning_count int NOT NULL DEFAULT 0 CHECK (warning_count >= 0),
        findings jsonb NOT NULL DEFAULT '[]',
        billing_references text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('draft', 'received', 'validated', 'approved', 'partly_approved', 'rejected', 'billed')),
        second_approval_required boolean NOT NULL DEFAULT false,
        submitted_by uuid REFERENCES app_user(id),
        first_approved_by uuid REFERENCES app_user(id),
        first_approved_at timestamptz,
        approved_by uuid REFERENCES app_user(id),
        approved_at timestamptz,
        rejected_by uuid REFERENCES app_user(id),
        rejected_at timestamptz,
        rejection_reason text CHECK (length(rejection_reason) BETWEEN 1 AND 2000),
        validated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invoice_number_per_supplier UNIQUE (supplier_id, invoice_number),
        -- For the deliveries' key: a delivery's supplier is its invoice's.
        CONSTRAINT invoice_id_supplier UNIQUE (id, supplier_id),
        CHECK (period_to >= period_from),
        CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL AND rejected_by IS NOT NULL)),
        CHECK (status NOT IN ('approved', 'partly_approved', 'billed') OR (approved_by IS NOT NULL AND approved_ore IS NOT NULL)),
        CHECK (approved_by IS NULL OR submitted_by IS NULL OR approved_by <> submitted_by),
        CHECK (first_approved_by IS NULL OR approved_by IS NULL OR first_approved_by <> approved_by)
      )`);
    await q(`CREATE INDEX invoice_supplier_idx ON invoice (supplier_id, created_at DESC)`);
    await q(`CREATE INDEX invoice_status_idx ON invoice (status, error_count DESC, warning_count DESC, created_at)`);

    await q(`
      CREATE TABLE delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL,
        line_no int NOT NULL CHECK (line_no > 0),
        -- A session delivered, or a credit note's line reversing one.
        kind text NOT NULL DEFAULT 'session' CHECK (kind IN ('session', 'credit')),
        supplier_id uuid NOT NULL,
        grant_id uuid REFERENCES mentor_grant(id),
        grant_reference text NOT NULL CHECK (length(grant_reference) BETWEEN 1 AND 60),
        delivered_on date NOT NULL,
        minutes int NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
        contact_form text CHECK (contact_form IN ('in_person', 'phone', 'video')),
        transport text CHECK (transport IN ('public_transport', 'car', 'bicycle_or_walk')),
        rate_ore bigint NOT NULL CHECK (rate_ore >= 0),
        -- Negative on a credit line.
        amount_ore bigint NOT NULL,
        approvable_ore bigint NOT NULL,
        approved_ore bigint,
        status text NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'partly_approved', 'rejected', 'credited')),
        findings jsonb NOT NULL DEFAULT '[]',
        description text CHECK (length(description) <= 500),
        -- A credit note's line names the delivery it reverses.
        credits_delivery_id uuid REFERENCES delivery(id),
        registered_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (invoice_id, line_no),
        FOREIGN KEY (invoice_id, supplier_id) REFERENCES invoice (id, supplier_id) ON DELETE CASCADE,
        CHECK ((kind = 'session' AND amount_ore >= 0 AND approvable_ore >= 0 AND credits_delivery_id IS NULL) OR (kind = 'credit' AND amount_ore <= 0 AND approvable_ore <= 0)),
        CHECK (status NOT IN ('approved', 'partly_approved') OR approved_ore IS NOT NULL)
      )`);
    // A delivery is paid at most once: one approved claim per grant, date and minutes.
    await q(`CREATE UNIQUE INDEX delivery_paid_once ON delivery (grant_id, delivered_on, minutes)
               WHERE status IN ('approved', 'partly_approved') AND kind = 'session'`);
    // One credit per delivery.
    await q(`CREATE UNIQUE INDEX delivery_credited_once ON delivery (credits_delivery_id) WHERE credits_delivery_id IS NOT NULL AND status <> 'rejected'`);
    await q(`CREATE INDEX delivery_grant_date_idx ON delivery (grant_id, delivered_on) WHERE status NOT IN ('rejected', 'credited') AND kind = 'session'`);
    await q(`CREATE INDEX delivery_supplier_date_idx ON delivery (supplier_id, delivered_on)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery`);
    await queryRunner.query(`DROP TABLE invoice`);
  }
}
