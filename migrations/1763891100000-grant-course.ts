import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A grant's course (Copenhagen 000, 001; Gribskov 004): the outcomes "transition to active offer" (LBA §§ 92/94) and
 * "education started"; per grant, the facts its eligibility was judged by (the discharge date of a discharge
 * coordinator, the enrolment of a single parent with an education order), the lawful reason of an early end, and the
 * holistic period it follows (a chain of periods: each period has at most one successor); and the silent grants the
 * daily job flags, one row per stretch of silence, cleared when a session arrives or the grant ends.
 */
export class GrantCourse1763891100000 implements MigrationInterface {
  name = 'GrantCourse1763891100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE mentor_grant DROP CONSTRAINT mentor_grant_outcome_check`);
    await q(`ALTER TABLE mentor_grant ADD CONSTRAINT mentor_grant_outcome_check CHECK (outcome IN ('job', 'education', 'education_started', 'active_offer', 'other_benefit', 'still_on_benefit', 'moved', 'other'))`);
    await q(`
      CREATE TABLE grant_course (
        grant_id uuid PRIMARY KEY REFERENCES mentor_grant(id) ON DELETE CASCADE,
        previous_grant_id uuid UNIQUE REFERENCES mentor_grant(id),
        discharge_date date CHECK (discharge_date BETWEEN '2000-01-01' AND '2099-12-31'),
        enrolment_date date CHECK (enrolment_date BETWEEN '2000-01-01' AND '2099-12-31'),
        end_reason text CHECK (end_reason IN ('ready_for_active_offer', 'left_target_group', 'goal_reached', 'job_or_education', 'citizen_moved', 'citizen_declined', 'support_not_needed')),
        CHECK (previous_grant_id IS NULL OR previous_grant_id <> grant_id)
      )`);
    await q(`
      CREATE TABLE silent_grant (
        grant_id uuid NOT NULL REFERENCES mentor_grant(id) ON DELETE CASCADE,
        silent_since date NOT NULL,
        flagged_on date NOT NULL CHECK (flagged_on > silent_since),
        weeks int NOT NULL CHECK (weeks > 0),
        cleared_on date,
        PRIMARY KEY (grant_id, silent_since)
      )`);
    await q(`CREATE INDEX silent_grant_open_idx ON silent_grant (flagged_on) WHERE cleared_on IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TABLE silent_grant`);
    await q(`DROP TABLE grant_course`);
    await q(`UPDATE mentor_grant SET outcome = 'other' WHERE outcome IN ('education_started', 'active_offer')`);
    await q(`ALTER TABLE mentor_grant DROP CONSTRAINT mentor_grant_outcome_check`);
    await q(`ALTER TABLE mentor_grant ADD CONSTRAINT mentor_grant_outcome_check CHECK (outcome IN ('job', 'education', 'other_benefit', 'still_on_benefit', 'moved', 'other'))`);
  }
}
