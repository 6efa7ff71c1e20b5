import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';
import type { EarlyEndReason } from '../rules/course-rule-set';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import type { GrantStatus } from './grant.rules';

/** The facts a grant's course keeps beside its terms. */
export interface CourseFacts {
  grantId: string;
  previousGrantId: string | null;
  nextGrantId: string | null;
  dischargeDate: CalendarDate | null;
  enrolmentDate: CalendarDate | null;
  endReason: EarlyEndReason | null;
}

/** One period of a chain, oldest first. */
export interface ChainPeriod {
  id: string;
  reference: string;
  start: CalendarDate;
  end: CalendarDate;
  status: GrantStatus;
  outcome: string | null;
  endedOn: CalendarDate | null;
}

/** An active grant the silent-grant job looks at: no citizen data. */
export interface WatchedGrant {
  id: string;
  reference: string;
  supplierId: string;
  mentorType: MentorType;
  targetGroupAtStart: TargetGroup;
  activeFrom: CalendarDate;
  start: CalendarDate;
  end: CalendarDate;
}

/** A silent grant as the caseworker's list and the supplier report show it. */
export interface SilentGrantRow {
  grantId: string;
  reference: string;
  supplierId: string;
  silentSince: CalendarDate;
  flaggedOn: CalendarDate;
  weeks: number;
  clearedOn: CalendarDate | null;
  citizenName: string;
  caseNumber: string;
}

/** A holistic period for the statistics: no citizen data but the id. */
export interface HolisticPeriodRow {
  citizenId: string;
  start: CalendarDate;
  end: CalendarDate;
  status: 'active' | 'ended';
  endedOn: CalendarDate | null;
  outcome: string | null;
}

const FACTS = `gc.grant_id AS "grantId", gc.previous_grant_id AS "previousGrantId", nx.grant_id AS "nextGrantId",
       gc.discharge_date::text AS "dischargeDate", gc.enrolment_date::text AS "enrolmentDate", gc.end_reason AS "endReason"`;
const SILENT = `s.grant_id AS "grantId", g.reference, g.supplier_id AS "supplierId", s.silent_since::text AS "silentSince", s.flagged_on::text AS "flaggedOn",
       s.weeks, s.cleared_on::text AS "clearedOn", c.name AS "citizenName", c.case_number AS "caseNumber"`;

export const GRANT_COURSE_SQL = sqlQueries('grants/grant-course.store', {
  upsertFacts: `
    INSERT INTO grant_course (grant_id, previous_grant_id, discharge_date, enrolment_date) VALUES ($1, $2, $3, $4)
    ON CONFLICT (grant_id) DO UPDATE SET previous_grant_id = EXCLUDED.previous_grant_id, discharge_date = EXCLUDED.discharge_date, enrolment_date = EXCLUDED.enrolment_date`,
  setEndReason: `
    INSERT INTO grant_course (grant_id, end_reason) VALUES ($1, $2)
    ON CONFLICT (grant_id) DO UPDATE SET end_reason = EXCLUDED.end_reason`,
  facts: `
    SELECT ${FACTS}
      FROM grant_course gc LEFT JOIN grant_course nx ON nx.previous_grant_id = gc.grant_id
     WHERE gc.grant_id = $1`,
  nextOf: `SELECT grant_id AS "grantId" FROM grant_course WHERE previous_grant_id = $1`,
  // The whole chain through the grant: back to its first period and on to its last.
  chain: `
    WITH RECURSIVE back(id, depth) AS (
      SELECT $1::uuid, 0
      UNION ALL SELECT gc.previous_grant_id, b.depth - 1 FROM back b JOIN grant_course gc ON gc.grant_id = b.id WHERE gc.previous_grant_id IS NOT NULL AND b.depth > -100
    ), fwd(id, depth) AS (
      SELECT $1::uuid, 0
      UNION ALL SELECT gc.grant_id, f.depth + 1 FROM fwd f JOIN grant_course gc ON gc.previous_grant_id = f.id WHERE f.depth < 100
    ), links AS (SELECT id, depth FROM back UNION SELECT id, depth FROM fwd)
    SELECT g.id, g.reference, g.start_date::text AS start, g.end_date::text AS "end", g.status, g.outcome, g.ended_on::text AS "endedOn"
      FROM links l JOIN mentor_grant g ON g.id = l.id ORDER BY l.depth`,
  // Active grants in their period on $1, for the silent-grant job.
  watched: `
    SELECT id, reference, supplier_id AS "supplierId", mentor_type AS "mentorType", target_group_at_start AS "targetGroupAtStart",
           active_from::text AS "activeFrom", start_date::text AS start, end_date::text AS "end"
      FROM mentor_grant WHERE status = 'active' AND active_from <= $1 AND end_date >= $1 ORDER BY reference`,
  // One row per stretch of silence: the job repeated on a day, or by two workers, flags it once (the insert that won returns it).
  flag: `
    INSERT INTO silent_grant (grant_id, silent_since, flagged_on, weeks) VALUES ($1, $2, $3, $4)
    ON CONFLICT (grant_id, silent_since) DO NOTHING RETURNING grant_id`,
  // A flag whose grant is no longer silent from that day (a session since), or no longer active, is cleared.
  clear: `
    UPDATE silent_grant s SET cleared_on = $2
      FROM mentor_grant g
     WHERE s.grant_id = g.id AND s.cleared_on IS NULL AND (g.status <> 'active' OR NOT (s.grant_id = ANY($1::uuid[])))
    RETURNING s.grant_id AS "grantId", s.silent_since::text AS "silentSince"`,
  clearStretches: `
    UPDATE silent_grant SET cleared_on = $3
     WHERE cleared_on IS NULL AND grant_id = $1 AND silent_since <> $2
    RETURNING grant_id AS "grantId", silent_since::text AS "silentSince"`,
  open: `
    SELECT ${SILENT}
      FROM silent_grant s JOIN mentor_grant g ON g.id = s.grant_id JOIN citizen c ON c.id = g.citizen_id
     WHERE s.cleared_on IS NULL ORDER BY s.flagged_on, g.reference LIMIT $1`,
  ofGrant: `
    SELECT ${SILENT}
      FROM silent_grant s JOIN mentor_grant g ON g.id = s.grant_id JOIN citizen c ON c.id = g.citizen_id
     WHERE s.grant_id = $1 ORDER BY s.silent_since`,
  // The supplier report: grants flagged silent on a day in $1..$2, per supplier.
  silentBySupplier: `
    SELECT g.supplier_id AS "supplierId", count(DISTINCT s.grant_id)::int AS grants
      FROM silent_grant s JOIN mentor_grant g ON g.id = s.grant_id
     WHERE s.flagged_on BETWEEN $1 AND $2 GROUP BY g.supplier_id`,
  holisticPeriods: `
    SELECT citizen_id AS "citizenId", start_date::text AS start, end_date::text AS "end", status, ended_on::text AS "endedOn", outcome
      FROM mentor_grant WHERE mentor_type = 'holistic' AND status IN ('active', 'ended') AND start_date <= $1
     ORDER BY citizen_id, start_date`,
});

const Q = GRANT_COURSE_SQL;

/** Every query on grant_course and silent_grant (and the grant reads the course's views need). */
@Injectable()
export class GrantCourseStore {
  async upsertFacts(manager: EntityManager, grantId: string, facts: { previousGrantId: string | null; dischargeDate: CalendarDate | null; enrolmentDate: CalendarDate | null }): Promise<void> {
    await manager.query(Q.upsertFacts, [grantId, facts.previousGrantId, facts.dischargeDate, facts.enrolmentDate]);
  }

  async setEndReason(manager: EntityManager, grantId: string, reason: EarlyEndReason | null): Promise<void> {
    if (reason === null) return;
    await manager.query(Q.setEndReason, [grantId, reason]);
  }

  async facts(manager: EntityManager, grantId: string): Promise<CourseFacts> {
    const [row] = (await manager.query(Q.facts, [grantId])) as CourseFacts[];
    if (row) return row;
    const [next] = (await manager.query(Q.nextOf, [grantId])) as Array<{ grantId: string }>;
    return { grantId, previousGrantId: null, nextGrantId: next?.grantId ?? null, dischargeDate: null, enrolmentDate: null, endReason: null };
  }

  chain(manager: EntityManager, grantId: string): Promise<ChainPeriod[]> {
    return manager.query(Q.chain, [grantId]) as Promise<ChainPeriod[]>;
  }

  watched(manager: EntityManager, today: CalendarDate): Promise<WatchedGrant[]> {
    return manager.query(Q.watched, [today]) as Promise<WatchedGrant[]>;
  }

  /** Flags a stretch of silence; true when this call flagged it (not already flagged). */
  async flag(manager: EntityManager, grantId: string, since: CalendarDate, flaggedOn: CalendarDate, weeks: number): Promise<boolean> {
    const rows = (await manager.query(Q.flag, [grantId, since, flaggedOn, weeks])) as unknown[];
    return rows.length === 1;
  }

  /** Clears the open flags of grants not in `silent` (or no longer active), and earlier stretches of the silent ones; the flags cleared. */
  async clear(manager: EntityManager, silent: ReadonlyArray<{ grantId: string; since: CalendarDate }>, today: CalendarDate): Promise<Array<{ grantId: string; silentSince: CalendarDate }>> {
    const [rows] = (await manager.query(Q.clear, [silent.map((s) => s.grantId), today])) as [Array<{ grantId: string; silentSince: CalendarDate }>, number];
    const cleared = [...rows];
    for (const s of silent) {
      const [more] = (await manager.query(Q.clearStretches, [s.grantId, s.since, today])) as [Array<{ grantId: string; silentSince: CalendarDate }>, number];
      cleared.push(...more);
    }
    return cleared;
  }

  open(manager: EntityManager, limit: number): Promise<SilentGrantRow[]> {
    return manager.query(Q.open, [limit]) as Promise<SilentGrantRow[]>;
  }

  ofGrant(manager: EntityManager, grantId: string): Promise<SilentGrantRow[]> {
    return manager.query(Q.ofGrant, [grantId]) as Promise<SilentGrantRow[]>;
  }

  async silentBySupplier(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<Map<string, number>> {
    const rows = (await manager.query(Q.silentBySupplier, [from, to])) as Array<{ supplierId: string; grants: number }>;
    return new Map(rows.map((row) => [row.supplierId, row.grants]));
  }

  holisticPeriods(manager: EntityManager, until: CalendarDate): Promise<HolisticPeriodRow[]> {
    return manager.query(Q.holisticPeriods, [until]) as Promise<HolisticPeriodRow[]>;
  }
}
