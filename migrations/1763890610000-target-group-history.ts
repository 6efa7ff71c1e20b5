import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A citizen's target group with its history (Copenhagen 000, fn. 1: the target group at the grant's start decides
 * refund and minimum contact): each change has the day it takes effect. A grant's target group at its start is the
 * one in force on that day. The target group each citizen has now is taken as in force from the start of the date
 * window, as it has been treated so far.
 */
export class TargetGroupHistory1763890610000 implements MigrationInterface {
  name = 'TargetGroupHistory1763890610000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE citizen_target_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        citizen_id uuid NOT NULL REFERENCES citizen(id) ON DELETE CASCADE,
        target_group text NOT NULL,
        effective_from date NOT NULL CHECK (effective_from BETWEEN '2000-01-01' AND '2099-12-31'),
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (citizen_id, effective_from)
      )`);
    await queryRunner.query(`INSERT INTO citizen_target_group (citizen_id, target_group, effective_from) SELECT id, target_group, '2000-01-01' FROM citizen`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE citizen_target_group`);
  }
}
