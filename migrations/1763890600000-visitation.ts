import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visitation (Gribskov 004: a case is granted only after a team leader has assessed it): the team leader role, and a
 * grant that is proposed by a caseworker and approved or sent back by a team leader before it becomes active. A grant
 * records who proposed it and when, who approved it and the day it is active from (no invoice line before that day is
 * payable), and its latest sending back with the reason. The grants already in the portal were granted under the old
 * course: they stay as they are, active (or ended) from their start.
 */
export class Visitation1763890600000 implements MigrationInterface {
  name = 'Visitation1763890600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE app_user DROP CONSTRAINT app_user_role_check`);
    await q(`ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN ('admin', 'procurement', 'caseworker', 'team_leader', 'finance', 'supplier'))`);

    await q(`ALTER TABLE mentor_grant DROP CONSTRAINT mentor_grant_status_check`);
    await q(`ALTER TABLE mentor_grant ADD CONSTRAINT mentor_grant_status_check CHECK (status IN ('draft', 'proposed', 'sent_back', 'active', 'ended', 'cancelled'))`);
    await q(`
      ALTER TABLE mentor_grant
        ADD COLUMN proposed_by uuid REFERENCES app_user(id),
        ADD COLUMN proposed_at timestamptz,
        ADD COLUMN approved_by uuid REFERENCES app_user(id),
        ADD COLUMN approved_at timestamptz,
        ADD COLUMN active_from date,
        ADD COLUMN sent_back_by uuid REFERENCES app_user(id),
        ADD COLUMN sent_back_at timestamptz,
        ADD COLUMN sent_back_reason text CHECK (length(sent_back_reason) BETWEEN 1 AND 2000)`);
    await q(`UPDATE mentor_grant SET active_from = start_date WHERE status IN ('active', 'ended')`);
    await q(`ALTER TABLE mentor_grant ADD CONSTRAINT mentor_grant_active_from CHECK ((status IN ('active', 'ended')) = (active_from IS NOT NULL) AND active_from BETWEEN start_date AND end_date)`);
    await q(`ALTER TABLE mentor_grant ADD CONSTRAINT mentor_grant_sent_back_reason CHECK (status <> 'sent_back' OR sent_back_reason IS NOT NULL)`);
    // The team leaders' list of proposals, oldest first.
    await q(`CREATE INDEX mentor_grant_proposed_idx ON mentor_grant (proposed_at, reference) WHERE status = 'proposed'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP INDEX mentor_grant_proposed_idx`);
    await q(`ALTER TABLE mentor_grant DROP CONSTRAINT mentor_grant_sent_back_reason, DROP CONSTRAINT mentor_grant_active_from`);
    await q(`DELETE FROM mentor_grant WHERE status IN ('proposed', 'sent_back')`);
    await q(`
      ALTER TABLE mentor_grant DROP COLUMN proposed_by, DROP COLUMN proposed_at, DROP COLUMN approved_by, DROP COLUMN approved_at,
        DROP COLUMN active_from, DROP COLUMN sent_back_by, DROP COLUMN sent_back_at, DROP COLUMN sent_back_reason`);
    await q(`ALTER TABLE mentor_grant DROP CONSTRAINT mentor_grant_status_check`);
    await q(`ALTER TABLE mentor_grant ADD CONSTRAINT mentor_grant_status_check CHECK (status IN ('draft', 'active', 'ended', 'cancelled'))`);
    await q(`ALTER TABLE app_user DROP CONSTRAINT app_user_role_check`);
    await q(`ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN ('admin', 'procurement', 'caseworker', 'finance', 'supplier'))`);
  }
}
