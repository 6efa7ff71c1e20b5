import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import type { CalendarDate } from '../common/time/calendar-date';
import { amendmentTransitionProblem, type AmendmentKind, type AmendmentStatus, type MinutesStep } from './grant-amendment.rules';

/** An amendment as stored, with the fields of every kind (null where its kind has none). */
export interface AmendmentRow {
  id: string;
  grantId: string;
  kind: AmendmentKind;
  effectiveFrom: CalendarDate;
  reason: string;
  status: AmendmentStatus;
  serviceLevel: number | null;
  minutesPerWeek: number | null;
  mentorName: string | null;
  mentorPhone: string | null;
  mentorEmail: string | null;
  goal: string | null;
  tasks: string | null;
  createdBy: string | null;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
}

export type NewAmendment = Omit<AmendmentRow, 'id' | 'createdAt' | 'decidedBy' | 'decidedAt' | 'rejectionReason'>;

/** A proposed amendment on the team leaders' list, with its grant's reference and citizen (staff only). */
export type ProposedAmendmentRow = AmendmentRow & { reference: string; citizenName: string; grantMinutesPerWeek: number; grantServiceLevel: number };

/** An approved mentor change: a new course in the statistics (Copenhagen 000). */
export interface MentorChange {
  grantId: string;
  effectiveFrom: CalendarDate;
}

const COLUMNS = `a.id, a.grant_id AS "grantId", a.kind, a.effective_from::text AS "effectiveFrom", a.reason, a.status, a.service_level AS "serviceLevel",
       a.minutes_per_week AS "minutesPerWeek", a.mentor_name AS "mentorName", a.mentor_phone AS "mentorPhone", a.mentor_email AS "mentorEmail",
       a.goal, a.tasks, a.created_by AS "createdBy", a.created_at AS "createdAt", a.decided_by AS "decidedBy", a.decided_at AS "decidedAt",
       a.rejection_reason AS "rejectionReason"`;

export const GRANT_AMENDMENT_SQL = sqlQueries('grants/grant-amendment.store', {
  // The partial unique index (grant, kind, day) among those not rejected answers a second change of the day with no row.
  insert: `
    INSERT INTO grant_amendment (grant_id, kind, effective_from, reason, status, service_level, minutes_per_week, mentor_name, mentor_phone,
      mentor_email, goal, tasks, created_by, decided_by, decided_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $5 = 'approved' THEN $13::uuid END, CASE WHEN $5 = 'approved' THEN now() END)
    ON CONFLICT (grant_id, kind, effective_from) WHERE status <> 'rejected' DO NOTHING
    RETURNING id`,
  // In the order recorded, which decides between two of a kind on the same day (one is rejected first).
  ofGrant: `SELECT ${COLUMNS} FROM grant_amendment a WHERE a.grant_id = $1 ORDER BY a.created_at, a.id`,
  get: `SELECT ${COLUMNS} FROM grant_amendment a WHERE a.id = $1 AND a.grant_id = $2`,
  decide: `
    UPDATE grant_amendment SET status = $3, decided_by = $4, decided_at = now(), rejection_reason = $5
     WHERE id = $1 AND status = $2`,
  proposed: `
    SELECT ${COLUMNS}, g.reference, c.name AS "citizenName", g.minutes_per_week AS "grantMinutesPerWeek", g.service_level AS "grantServiceLevel"
      FROM grant_amendment a JOIN mentor_grant g ON g.id = a.grant_id JOIN citizen c ON c.id = g.citizen_id
     WHERE a.status = 'proposed' ORDER BY a.created_at, a.id LIMIT $1`,
  // Invoice validation: the approved changes of level and minutes of these grants, in the order they take effect.
  hoursSteps: `
    SELECT a.grant_id AS "grantId", a.effective_from::text AS "from", a.service_level AS "serviceLevel", a.minutes_per_week AS "minutesPerWeek"
      FROM grant_amendment a
     WHERE a.grant_id = ANY($1::uuid[]) AND a.kind = 'hours' AND a.status = 'approved'
     ORDER BY a.grant_id, a.effective_from, a.created_at, a.id`,
  mentorChanges: `
    SELECT a.grant_id AS "grantId", a.effective_from::text AS "effectiveFrom"
      FROM grant_amendment a WHERE a.kind = 'mentor' AND a.status = 'approved' AND a.effective_from BETWEEN $1 AND $2
     ORDER BY a.effective_from, a.grant_id`,
});

const Q = GRANT_AMENDMENT_SQL;

/** Every query on grant_amendment. */
@Injectable()
export class GrantAmendmentStore {
  /** The new amendment's id; null when one of its kind is already recorded for that day. */
  async insert(manager: EntityManager, a: NewAmendment): Promise<string | null> {
    const [row] = (await manager.query(Q.insert, [
      a.grantId, a.kind, a.effectiveFrom, a.reason, a.status, a.serviceLevel, a.minutesPerWeek, a.mentorName, a.mentorPhone, a.mentorEmail, a.goal, a.tasks, a.createdBy,
    ])) as Array<{ id: string }>;
    return row?.id ?? null;
  }

  ofGrant(manager: EntityManager, grantId: string): Promise<AmendmentRow[]> {
    return manager.query(Q.ofGrant, [grantId]) as Promise<AmendmentRow[]>;
  }

  async get(manager: EntityManager, grantId: string, id: string): Promise<AmendmentRow | null> {
    const [row] = (await manager.query(Q.get, [id, grantId])) as AmendmentRow[];
    return row ?? null;
  }

  /** Approves or rejects a proposed amendment in one conditional UPDATE; false when it was no longer proposed. */
  async decide(manager: EntityManager, id: string, to: 'approved' | 'rejected', decidedBy: string, rejectionReason: string | null, role: TransitionRole): Promise<boolean> {
    const problem = amendmentTransitionProblem('proposed', to, role);
    if (problem) throw DomainException.conflict(`The amendment cannot become ${to}`, [problem]);
    const [, affected] = (await manager.query(Q.decide, [id, 'proposed', to, decidedBy, rejectionReason])) as [unknown, number];
    return affected === 1;
  }

  proposed(manager: EntityManager, limit: number): Promise<ProposedAmendmentRow[]> {
    return manager.query(Q.proposed, [limit]) as Promise<ProposedAmendmentRow[]>;
  }

  /** The approved changes of level and minutes by grant id, in the order they take effect. */
  async hoursSteps(manager: EntityManager, grantIds: readonly string[]): Promise<Map<string, MinutesStep[]>> {
    const steps = new Map<string, MinutesStep[]>();
    if (grantIds.length === 0) return steps;
    const rows = (await manager.query(Q.hoursSteps, [grantIds])) as Array<MinutesStep & { grantId: string }>;
    for (const { grantId, ...step } of rows) {
      const list = steps.get(grantId);
      if (list) list.push(step);
      else steps.set(grantId, [step]);
    }
    return steps;
  }

  mentorChanges(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<MentorChange[]> {
    return manager.query(Q.mentorChanges, [from, to]) as Promise<MentorChange[]>;
  }
}
