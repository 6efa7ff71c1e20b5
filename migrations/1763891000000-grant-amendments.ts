import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A grant's course (Gribskov 004, Copenhagen 000): amendments with their history, and the follow-ups and the
 * evaluation the caseworker holds.
 *
 * An amendment changes a grant from its effective date: the level and minutes per week (level 4 steps down after
 * three months), the mentor (a mentor change counts as a new course in the statistics), or the goal and tasks reset
 * at a follow-up; each with a reason. One that raises the minutes is proposed and approved or rejected by a team
 * leader other than its creator; the others are in force when recorded. The grant's own columns keep the terms it
 * was approved with: the terms in force on a day are those and the approved amendments effective by then.
 *
 * A follow-up (opfølgning) or the evaluation (evaluering) is held on a day in a form with someone; a follow-up closes
 * the grant's open follow-up task and the next falls due 13 weeks after it; the evaluation closes the evaluation of
 * the period ending on `period_end`. A supplier's progress report no longer closes a task.
 */
export class GrantAmendments1763891000000 implements MigrationInterface {
  name = 'GrantAmendments1763891000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE grant_amendment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        grant_id uuid NOT NULL REFERENCES mentor_grant(id),
        kind text NOT NULL CHECK (kind IN ('hours', 'mentor', 'goal')),
        effective_from date NOT NULL CHECK (effective_from BETWEEN '2000-01-01' AND '2099-12-31'),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        status text NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
        service_level int CHECK (service_level > 0),
        minutes_per_week int CHECK (minutes_per_week BETWEEN 1 AND 10080),
        mentor_name text CHECK (length(mentor_name) BETWEEN 1 AND 200),
        mentor_phone text,
        mentor_email text,
        goal text CHECK (length(goal) BETWEEN 1 AND 4000),
        tasks text CHECK (length(tasks) BETWEEN 1 AND 4000),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        rejection_reason text CHECK (length(rejection_reason) BETWEEN 1 AND 2000),
        CHECK (kind <> 'hours' OR (service_level IS NOT NULL AND minutes_per_week IS NOT NULL)),
        CHECK (kind <> 'mentor' OR (mentor_name IS NOT NULL AND (mentor_phone IS NOT NULL OR mentor_email IS NOT NULL))),
        CHECK (kind <> 'goal' OR (goal IS NOT NULL AND tasks IS NOT NULL)),
        CHECK ((status = 'proposed') = (decided_at IS NULL)),
        CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL)
      )`);
    // One change of a kind per day: a second one on the same day is a correction of the first, made by rejecting it.
    await q(`CREATE UNIQUE INDEX grant_amendment_day_uq ON grant_amendment (grant_id, kind, effective_from) WHERE status <> 'rejected'`);
    await q(`CREATE INDEX grant_amendment_grant_idx ON grant_amendment (grant_id, effective_from)`);
    // The team leaders' list of amendments awaiting approval, oldest first; the statistics' mentor changes by day.
    await q(`CREATE INDEX grant_amendment_proposed_idx ON grant_amendment (created_at) WHERE status = 'proposed'`);
    await q(`CREATE INDEX grant_amendment_mentor_idx ON grant_amendment (effective_from) WHERE kind = 'mentor' AND status = 'approved'`);

    await q(`
      CREATE TABLE grant_follow_up (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        grant_id uuid NOT NULL REFERENCES mentor_grant(id),
        kind text NOT NULL CHECK (kind IN ('follow_up', 'evaluation')),
        held_on date NOT NULL CHECK (held_on BETWEEN '2000-01-01' AND '2099-12-31'),
        form text NOT NULL CHECK (form IN ('meeting', 'phone', 'video')),
        with_whom text NOT NULL CHECK (length(with_whom) BETWEEN 1 AND 500),
        progress text NOT NULL CHECK (length(progress) BETWEEN 1 AND 4000),
        next_steps text NOT NULL CHECK (length(next_steps) BETWEEN 1 AND 4000),
        task_due date,
        period_end date NOT NULL,
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX grant_follow_up_grant_idx ON grant_follow_up (grant_id, held_on)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE grant_follow_up`);
    await queryRunner.query(`DROP TABLE grant_amendment`);
  }
}
