import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Real sign-in: how each session was opened (password, password and code, OpenID Connect, SAML), a second
 * factor (TOTP) with recovery codes for local accounts, the pending federated requests (OIDC state, nonce and
 * PKCE verifier; SAML request ids) and the SAML assertions already used, and service accounts with their API
 * tokens for the case system and the finance system.
 */
export class SignIn1763890400000 implements MigrationInterface {
  name = 'SignIn1763890400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const methods = `('password', 'password_totp', 'oidc', 'saml')`;
    await queryRunner.query(`ALTER TABLE app_user ADD COLUMN last_login_method text CHECK (last_login_method IN ${methods})`);
    await queryRunner.query(`ALTER TABLE auth_session ADD COLUMN method text NOT NULL DEFAULT 'password' CHECK (method IN ${methods})`);
    // A password sign-in of a role that needs a second factor, before one is set up: only the set-up is open to it.
    await queryRunner.query(`ALTER TABLE auth_session ADD COLUMN pending_two_factor boolean NOT NULL DEFAULT false`);
    // The ID token of an OpenID Connect sign-in, sent back as id_token_hint when the user signs out.
    await queryRunner.query(`ALTER TABLE auth_session ADD COLUMN id_token text`);

    await queryRunner.query(`
      CREATE TABLE user_two_factor (
        user_id uuid PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
        secret_ciphertext bytea NOT NULL,
        confirmed_at timestamptz,
        last_time_step bigint,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE user_recovery_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL UNIQUE,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX user_recovery_code_user_idx ON user_recovery_code (user_id) WHERE used_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE federated_request (
        id text PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 128),
        provider text NOT NULL CHECK (provider IN ('oidc', 'saml')),
        state text,
        nonce text,
        code_verifier text,
        next text NOT NULL DEFAULT '/',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz,
        CHECK (expires_at > created_at),
        CHECK (provider = 'saml' OR (state IS NOT NULL AND nonce IS NOT NULL AND code_verifier IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX federated_request_expires_idx ON federated_request (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE saml_assertion_seen (
        assertion_id text PRIMARY KEY CHECK (length(assertion_id) BETWEEN 1 AND 256),
        expires_at timestamptz NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX saml_assertion_seen_expires_idx ON saml_assertion_seen (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE service_account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
        scopes text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 20),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        service_account_id uuid NOT NULL REFERENCES service_account(id) ON DELETE RESTRICT,
        token_hash char(64) NOT NULL UNIQUE,
        hint text NOT NULL CHECK (length(hint) BETWEEN 4 AND 16),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(`CREATE INDEX api_token_account_idx ON api_token (service_account_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_token`);
    await queryRunner.query(`DROP TABLE service_account`);
    await queryRunner.query(`DROP TABLE saml_assertion_seen`);
    await queryRunner.query(`DROP TABLE federated_request`);
    await queryRunner.query(`DROP TABLE user_recovery_code`);
    await queryRunner.query(`DROP TABLE user_two_factor`);
    await queryRunner.query(`ALTER TABLE auth_session DROP COLUMN id_token`);
    await queryRunner.query(`ALTER TABLE auth_session DROP COLUMN pending_two_factor`);
    await queryRunner.query(`ALTER TABLE auth_session DROP COLUMN method`);
    await queryRunner.query(`ALTER TABLE app_user DROP COLUMN last_login_method`);
  }
}
