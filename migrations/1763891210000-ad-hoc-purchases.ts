import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An ad-hoc purchase (enkeltkøb): mentor support bought for one case from a supplier outside a framework
 * agreement, bounded by a spend limit, proposed by a caseworker or procurement and approved or refused by a team
 * leader who is not the proposer.
 */
export class AdHocPurchases1763891210000 implements MigrationInterface {
  name = 'AdHocPurchases1763891210000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ad_hoc_purchase (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        case_number text NOT NULL CHECK (length(case_number) BETWEEN 1 AND 60),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        amount_ore bigint NOT NULL CHECK (amount_ore > 0),
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'refused')),
        proposed_by uuid REFERENCES app_user(id),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        decision_reason text CHECK (length(decision_reason) BETWEEN 1 AND 2000),
        CONSTRAINT ad_hoc_purchase_decided CHECK ((status = 'proposed') = (decided_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ad_hoc_purchase_status ON ad_hoc_purchase (status, proposed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ad_hoc_purchase`);
  }
}
