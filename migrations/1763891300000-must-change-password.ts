import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A password an administrator chose (a new account's first password, a reset) is known to two people: the user
 * must choose their own before using the portal. Accounts that exist keep their passwords as they are.
 */
export class MustChangePassword1763891300000 implements MigrationInterface {
  name = 'MustChangePassword1763891300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE app_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE app_user DROP COLUMN must_change_password`);
  }
}
