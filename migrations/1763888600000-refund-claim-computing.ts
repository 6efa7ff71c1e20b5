import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refund claim is computed once, in a worker: `computing` while a worker has it, and `computation` counts
 * the computations so each has its own deterministic job id (a draft whose frame moved before submission is
 * computed again). `status_changed_at` tells the sweeper how long a claim has waited.
 */
export class RefundClaimComputing1763888600000 implements MigrationInterface {
  name = 'RefundClaimComputing1763888600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE refund_claim DROP CONSTRAINT refund_claim_status_check`);
    await q(`ALTER TABLE refund_claim ADD CONSTRAINT refund_claim_status_check CHECK (status IN ('queued', 'computing', 'draft', 'submitted', 'failed'))`);
    await q(`ALTER TABLE refund_claim ADD COLUMN computation int NOT NULL DEFAULT 1 CHECK (computation >= 1)`);
    await q(`ALTER TABLE refund_claim ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE refund_claim DROP COLUMN status_changed_at`);
    await q(`ALTER TABLE refund_claim DROP COLUMN computation`);
    await q(`UPDATE refund_claim SET status = 'queued' WHERE status = 'computing'`);
    await q(`ALTER TABLE refund_claim DROP CONSTRAINT refund_claim_status_check`);
    await q(`ALTER TABLE refund_claim ADD CONSTRAINT refund_claim_status_check CHECK (status IN ('queued', 'draft', 'submitted', 'failed'))`);
  }
}
