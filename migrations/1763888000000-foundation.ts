import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, sign-in sessions, the audit log, and suppliers (which supplier users belong to). */
export class Foundation1763888000000 implements MigrationInterface {
  name = 'Foundation1763888000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE supplier (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        cvr char(8) NOT NULL UNIQUE CHECK (cvr ~ '^[0-9]{8}$'),
        gln char(13) UNIQUE CHECK (gln ~ '^[0-9]{13}$'),
        kind text NOT NULL CHECK (kind IN ('mentor_supplier', 'partner_company')),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('admin', 'procurement', 'caseworker', 'finance', 'supplier')),
        supplier_id uuid REFERENCES supplier(id) ON DELETE RESTRICT,
        password_hash text,
        language text NOT NULL DEFAULT 'da' CHECK (language IN ('da', 'en')),
        active boolean NOT NULL DEFAULT true,
        external_provider text CHECK (external_provider IN ('oidc', 'saml')),
        external_subject text,
        password_changed_at timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_email_unique UNIQUE (email),
        CONSTRAINT app_user_external_unique UNIQUE (external_provider, external_subject),
        CONSTRAINT app_user_supplier_role CHECK ((role = 'supplier') = (supplier_id IS NOT NULL)),
        CONSTRAINT app_user_external_pair CHECK ((external_provider IS NULL) = (external_subject IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX app_user_supplier_idx ON app_user (supplier_id) WHERE supplier_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        ip text,
        user_agent text,
        CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(`CREATE INDEX auth_session_user_idx ON auth_session (user_id)`);
    await queryRunner.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid REFERENCES app_user(id),
        actor_role text,
        actor_label text,
        action text NOT NULL CHECK (action ~ '^[a-z_]+\\.[a-z_.]+$'),
        entity_type text NOT NULL,
        entity_id text,
        change jsonb NOT NULL DEFAULT '{}'::jsonb,
        ip text,
        request_id text
      )`);
    await queryRunner.query(`CREATE INDEX audit_entry_entity_idx ON audit_entry (entity_type, entity_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_entry_actor_idx ON audit_entry (actor_user_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_entry_occurred_idx ON audit_entry (occurred_at DESC, id DESC)`);
    // The audit log is append-only: the database itself refuses edits and deletes.
    await queryRunner.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry
      FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_entry`);
    await queryRunner.query(`DROP FUNCTION audit_entry_append_only`);
    await queryRunner.query(`DROP TABLE auth_session`);
    await queryRunner.query(`DROP TABLE app_user`);
    await queryRunner.query(`DROP TABLE supplier`);
  }
}
