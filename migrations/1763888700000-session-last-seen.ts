import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session unused for SESSION_IDLE_MINUTES is ended: `last_seen_at` is when it was last used, moved forward
 * at most once a minute so that reading a page does not write a row on every request.
 */
export class SessionLastSeen1763888700000 implements MigrationInterface {
  name = 'SessionLastSeen1763888700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE auth_session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()`);
    // "Sign out everywhere" and the password change end a user's open sessions.
    await queryRunner.query(`CREATE INDEX auth_session_user_open_idx ON auth_session (user_id) WHERE revoked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX auth_session_user_open_idx`);
    await queryRunner.query(`ALTER TABLE auth_session DROP COLUMN last_seen_at`);
  }
}
