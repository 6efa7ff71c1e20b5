import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rule sets, supplier details and catalogue, agreements with rate cards and price caps, citizens, grants and progress reports. */
export class AgreementsAndGrants1763888100000 implements MigrationInterface {
  name = 'AgreementsAndGrants1763888100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE rule_set_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        effective_from date NOT NULL UNIQUE,
        rule_values jsonb NOT NULL,
        note text,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q(`ALTER TABLE supplier
      ADD COLUMN address text,
      ADD COLUMN postal_code text CHECK (postal_code ~ '^[0-9]{4}$'),
      ADD COLUMN city text,
      ADD COLUMN contact_name text,
      ADD COLUMN contact_email text,
      ADD COLUMN contact_phone text,
      ADD COLUMN vat_registered boolean NOT NULL DEFAULT true`);
    await q(`
      CREATE TABLE supplier_catalogue_entry (
        supplier_id uuid PRIMARY KEY REFERENCES supplier(id) ON DELETE CASCADE,
        target_groups text[] NOT NULL DEFAULT '{}',
        mentor_types text[] NOT NULL DEFAULT '{}',
        methods text NOT NULL DEFAULT '',
        mentor_profiles text NOT NULL DEFAULT '',
        contact text NOT NULL DEFAULT '',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q(`
      CREATE TABLE agreement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        kind text NOT NULL CHECK (kind IN ('framework', 'partnership')),
        reference text NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 60),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        extension_options int NOT NULL DEFAULT 0 CHECK (extension_options BETWEEN 0 AND 10),
        extension_months int NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 60),
        extensions_used int NOT NULL DEFAULT 0,
        mentor_types text[] NOT NULL CHECK (cardinality(mentor_types) > 0),
        vat_rate_basis_points int NOT NULL DEFAULT 2500 CHECK (vat_rate_basis_points BETWEEN 0 AND 10000),
        ceiling_ore bigint CHECK (ceiling_ore > 0),
        default_minutes_per_week int CHECK (default_minutes_per_week > 0),
        default_rate_ore bigint CHECK (default_rate_ore > 0),
        consumed_approved_ore bigint NOT NULL DEFAULT 0 CHECK (consumed_approved_ore >= 0),
        consumed_pending_ore bigint NOT NULL DEFAULT 0 CHECK (consumed_pending_ore >= 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to >= valid_from),
        CHECK (extensions_used BETWEEN 0 AND extension_options),
        CHECK (kind = 'framework' OR ceiling_ore IS NULL)
      )`);
    await q(`CREATE INDEX agreement_supplier_idx ON agreement (supplier_id)`);
    await q(`
      CREATE TABLE agreement_rate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        mentor_type text NOT NULL,
        service_level int NOT NULL CHECK (service_level BETWEEN 1 AND 9),
        valid_from date NOT NULL,
        valid_to date,
        rate_ore bigint NOT NULL CHECK (rate_ore > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        UNIQUE (agreement_id, mentor_type, service_level, valid_from)
      )`);
    await q(`
      CREATE TABLE price_cap (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mentor_type text NOT NULL,
        service_level int NOT NULL CHECK (service_level BETWEEN 1 AND 9),
        valid_from date NOT NULL,
        rate_ore bigint NOT NULL CHECK (rate_ore > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (mentor_type, service_level, valid_from)
      )`);

    await q(`
      CREATE TABLE citizen (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cpr_encrypted bytea NOT NULL,
        cpr_lookup char(64) NOT NULL UNIQUE,
        cpr_masked char(11) NOT NULL CHECK (cpr_masked ~ '^[0-9]{6}-XXXX$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        case_number text NOT NULL CHECK (length(case_number) BETWEEN 1 AND 60),
        target_group text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE SEQUENCE grant_reference_seq START 1`);
    await q(`
      CREATE TABLE mentor_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE CHECK (reference ~ '^MS-[0-9]{4}-[0-9]{6}$'),
        citizen_id uuid NOT NULL REFERENCES citizen(id),
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        mentor_type text NOT NULL,
        service_level int NOT NULL CHECK (service_level BETWEEN 1 AND 9),
        minutes_per_week int NOT NULL CHECK (minutes_per_week > 0 AND minutes_per_week <= 10080),
        start_date date NOT NULL,
        end_date date NOT NULL,
        original_end_date date NOT NULL,
        extensions_used int NOT NULL DEFAULT 0 CHECK (extensions_used >= 0),
        target_group_at_start text NOT NULL,
        goal text NOT NULL CHECK (length(goal) BETWEEN 1 AND 4000),
        tasks text NOT NULL CHECK (length(tasks) BETWEEN 1 AND 4000),
        mentor_name text NOT NULL,
        mentor_phone text,
        mentor_email text,
        complaint_guidance text,
        status text NOT NULL CHECK (status IN ('draft', 'active', 'ended', 'cancelled')),
        outcome text CHECK (outcome IN ('job', 'education', 'other_benefit', 'still_on_benefit', 'moved', 'other')),
        ended_on date,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_date >= start_date),
        CHECK ((status = 'ended') = (outcome IS NOT NULL AND ended_on IS NOT NULL))
      )`);
    await q(`CREATE INDEX mentor_grant_supplier_idx ON mentor_grant (supplier_id, status)`);
    await q(`CREATE INDEX mentor_grant_citizen_idx ON mentor_grant (citizen_id)`);
    await q(`CREATE INDEX mentor_grant_agreement_idx ON mentor_grant (agreement_id)`);
    await q(`
      CREATE TABLE progress_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        grant_id uuid NOT NULL REFERENCES mentor_grant(id),
        due_date date NOT NULL,
        progress text NOT NULL CHECK (length(progress) BETWEEN 1 AND 4000),
        hours_used_for text NOT NULL CHECK (length(hours_used_for) BETWEEN 1 AND 4000),
        delivery_summary text NOT NULL CHECK (length(delivery_summary) BETWEEN 1 AND 4000),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        submitted_by uuid REFERENCES app_user(id),
        late boolean NOT NULL,
        UNIQUE (grant_id, due_date)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['progress_report', 'mentor_grant', 'citizen', 'price_cap', 'agreement_rate', 'agreement', 'supplier_catalogue_entry', 'rule_set_version']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`DROP SEQUENCE grant_reference_seq`);
    await queryRunner.query(`ALTER TABLE supplier DROP COLUMN address, DROP COLUMN postal_code, DROP COLUMN city, DROP COLUMN contact_name, DROP COLUMN contact_email, DROP COLUMN contact_phone, DROP COLUMN vat_registered`);
  }
}
