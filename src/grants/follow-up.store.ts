import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';
import type { FollowUpForm, FollowUpKind } from './follow-up.rules';

export interface FollowUpRow {
  id: string;
  grantId: string;
  kind: FollowUpKind;
  heldOn: CalendarDate;
  form: FollowUpForm;
  withWhom: string;
  progress: string;
  nextSteps: string;
  /** The due date of the task it closed; null when it closed none. */
  taskDue: CalendarDate | null;
  periodEnd: CalendarDate;
  recordedBy: string | null;
  recordedAt: Date;
}

export type NewFollowUp = Omit<FollowUpRow, 'id' | 'recordedAt'>;

const COLUMNS = `id, grant_id AS "grantId", kind, held_on::text AS "heldOn", form, with_whom AS "withWhom", progress, next_steps AS "nextSteps",
       task_due::text AS "taskDue", period_end::text AS "periodEnd", recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;

export const FOLLOW_UP_SQL = sqlQueries('grants/follow-up.store', {
  insert: `
    INSERT INTO grant_follow_up (grant_id, kind, held_on, form, with_whom, progress, next_steps, task_due, period_end, recorded_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
  ofGrant: `SELECT ${COLUMNS} FROM grant_follow_up WHERE grant_id = $1 ORDER BY held_on, recorded_at`,
  // Serialises the follow-ups of one grant: the task a follow-up closes is read after this lock.
  lockGrant: `SELECT id FROM mentor_grant WHERE id = $1 FOR UPDATE`,
});

const Q = FOLLOW_UP_SQL;

/** Every query on grant_follow_up. */
@Injectable()
export class FollowUpStore {
  async insert(manager: EntityManager, f: NewFollowUp): Promise<FollowUpRow> {
    const [row] = (await manager.query(Q.insert, [f.grantId, f.kind, f.heldOn, f.form, f.withWhom, f.progress, f.nextSteps, f.taskDue, f.periodEnd, f.recordedBy])) as FollowUpRow[];
    return row;
  }

  ofGrant(manager: EntityManager, grantId: string): Promise<FollowUpRow[]> {
    return manager.query(Q.ofGrant, [grantId]) as Promise<FollowUpRow[]>;
  }

  async lockGrant(manager: EntityManager, grantId: string): Promise<void> {
    await manager.query(Q.lockGrant, [grantId]);
  }
}
