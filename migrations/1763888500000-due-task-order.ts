import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The caseworkers' list of due follow-ups and evaluations reads active grants in the order of their first open
 * task instead of every active grant. `next_task_due` holds that date (computed by the grant rules, which need
 * the rule set in force); NULL means "to be computed" and is what a write that can move it leaves behind.
 * `grant_task_order` records the rule sets the stored dates were computed under.
 */
export class DueTaskOrder1763888500000 implements MigrationInterface {
  name = 'DueTaskOrder1763888500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE mentor_grant ADD COLUMN next_task_due date`);
    await q(`CREATE INDEX mentor_grant_next_task_idx ON mentor_grant (next_task_due, reference) WHERE status = 'active'`);
    // The grants still to compute: usually none, so this index is nearly empty (ended grants have no date either).
    await q(`CREATE INDEX mentor_grant_next_task_unset_idx ON mentor_grant (id) WHERE status = 'active' AND next_task_due IS NULL`);
    // Ended grants have no date either: without statistics over both columns the planner takes "active and no
    // date" for a quarter of the table and scans all of it instead of probing the index above.
    await q(`CREATE STATISTICS mentor_grant_task_stats (mcv) ON status, next_task_due FROM mentor_grant`);
    await q(`CREATE TABLE grant_task_order (id boolean PRIMARY KEY DEFAULT true CHECK (id), rules_fingerprint text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TABLE grant_task_order`);
    await q(`DROP STATISTICS mentor_grant_task_stats`);
    await q(`DROP INDEX mentor_grant_next_task_unset_idx`);
    await q(`DROP INDEX mentor_grant_next_task_idx`);
    await q(`ALTER TABLE mentor_grant DROP COLUMN next_task_due`);
  }
}
