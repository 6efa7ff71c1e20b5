import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partnerships and internal and ad-hoc purchases through their term:
 * - a company grant above its partnership agreement's minutes per week carries the reason the team leader approves;
 * - frikøb priced per partner employee: an hourly rate per employee (an anonymous reference, never a CPR number),
 *   dated like a rate card, and the employee an hour registration names with the rate in force that day;
 * - an ad-hoc purchase names the grant it serves.
 */
export class PartnershipTerms1763891700000 implements MigrationInterface {
  name = 'PartnershipTerms1763891700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mentor_grant ADD COLUMN excess_reason text CHECK (length(excess_reason) BETWEEN 1 AND 2000)`);
    await queryRunner.query(`
      CREATE TABLE partner_employee_rate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        employee_ref text NOT NULL CHECK (employee_ref ~ '^[A-Za-z0-9ÆØÅæøå._-]{1,20}$' AND employee_ref !~ '^[0-9]{6}-?[0-9]{4}$'),
        rate_ore bigint NOT NULL CHECK (rate_ore > 0),
        valid_from date NOT NULL,
        valid_to date,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        UNIQUE (agreement_id, employee_ref, valid_from)
      )`);
    await queryRunner.query(`ALTER TABLE delivery ADD COLUMN employee_ref text CHECK (length(employee_ref) BETWEEN 1 AND 20)`);
    await queryRunner.query(`ALTER TABLE delivery ADD COLUMN employee_rate_ore bigint CHECK (employee_rate_ore > 0)`);
    await queryRunner.query(`ALTER TABLE ad_hoc_purchase ADD COLUMN grant_id uuid REFERENCES mentor_grant(id)`);
    await queryRunner.query(`CREATE INDEX ad_hoc_purchase_grant ON ad_hoc_purchase (grant_id) WHERE grant_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ad_hoc_purchase DROP COLUMN grant_id`);
    await queryRunner.query(`ALTER TABLE delivery DROP COLUMN employee_rate_ore`);
    await queryRunner.query(`ALTER TABLE delivery DROP COLUMN employee_ref`);
    await queryRunner.query(`DROP TABLE partner_employee_rate`);
    await queryRunner.query(`ALTER TABLE mentor_grant DROP COLUMN excess_reason`);
  }
}
