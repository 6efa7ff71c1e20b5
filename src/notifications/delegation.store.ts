import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';

/** The SQL of delegations: a deputy for a user over a period. */
export const DELEGATION_SQL = sqlQueries('notifications/delegation.store', {
  insert: `
    INSERT INTO delegation (principal_user_id, deputy_user_id, valid_from, valid_to, created_by)
    VALUES ($1, $2, $3, $4, $5) RETURNING id`,
  // Two periods of one user may not overlap: the one that would is found first.
  overlapping: `
    SELECT id FROM delegation
     WHERE principal_user_id = $1 AND ended_at IS NULL AND valid_from <= $3 AND valid_to >= $2
     LIMIT 1`,
  list: `
    SELECT id, principal_user_id AS "principalId", deputy_user_id AS "deputyId", valid_from::text AS "validFrom", valid_to::text AS "validTo", ended_at AS "endedAt"
      FROM delegation
     WHERE ($1::uuid IS NULL OR principal_user_id = $1 OR deputy_user_id = $1) AND (ended_at IS NULL OR ended_at > now() - interval '90 days')
     ORDER BY valid_from DESC, id`,
  get: `
    SELECT id, principal_user_id AS "principalId", deputy_user_id AS "deputyId", valid_from::text AS "validFrom", valid_to::text AS "validTo", ended_at AS "endedAt"
      FROM delegation WHERE id = $1`,
  end: `UPDATE delegation SET ended_at = now() WHERE id = $1 AND ended_at IS NULL`,
  // Whom each of these users has handed their work to on the day.
  deputiesOn: `
    SELECT DISTINCT ON (principal_user_id) principal_user_id AS "principalId", deputy_user_id AS "deputyId"
      FROM delegation
     WHERE principal_user_id = ANY($1::uuid[]) AND ended_at IS NULL AND valid_from <= $2 AND valid_to >= $2
     ORDER BY principal_user_id, valid_from DESC`,
  // For whom the user acts as deputy on the day.
  principalsOn: `
    SELECT principal_user_id AS "principalId"
      FROM delegation
     WHERE deputy_user_id = $1 AND ended_at IS NULL AND valid_from <= $2 AND valid_to >= $2
     ORDER BY valid_from, principal_user_id`,
});

const Q = DELEGATION_SQL;

export interface DelegationRow {
  id: string;
  principalId: string;
  deputyId: string;
  validFrom: CalendarDate;
  validTo: CalendarDate;
  endedAt: Date | null;
}

/** Every query on delegation. */
@Injectable()
export class DelegationStore {
  async insert(manager: EntityManager, values: { principalId: string; deputyId: string; validFrom: CalendarDate; validTo: CalendarDate; createdBy: string | null }): Promise<string> {
    const [row] = (await manager.query(Q.insert, [values.principalId, values.deputyId, values.validFrom, values.validTo, values.createdBy])) as Array<{ id: string }>;
    return row.id;
  }

  async overlapping(manager: EntityManager, principalId: string, from: CalendarDate, to: CalendarDate): Promise<string | null> {
    const [row] = (await manager.query(Q.overlapping, [principalId, from, to])) as Array<{ id: string }>;
    return row?.id ?? null;
  }

  /** Current and recently ended delegations, all or those a user is in. */
  async list(manager: EntityManager, userId: string | null): Promise<DelegationRow[]> {
    return (await manager.query(Q.list, [userId])) as DelegationRow[];
  }

  async get(manager: EntityManager, id: string): Promise<DelegationRow | null> {
    const [row] = (await manager.query(Q.get, [id])) as DelegationRow[];
    return row ?? null;
  }

  async end(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.end, [id])) as [unknown, number];
    return affected === 1;
  }

  async deputiesOn(manager: EntityManager, principalIds: readonly string[], day: CalendarDate): Promise<Map<string, string>> {
    if (principalIds.length === 0) return new Map();
    const rows = (await manager.query(Q.deputiesOn, [principalIds, day])) as Array<{ principalId: string; deputyId: string }>;
    return new Map(rows.map((row) => [row.principalId, row.deputyId]));
  }

  async principalsOn(manager: EntityManager, deputyId: string, day: CalendarDate): Promise<string[]> {
    return ((await manager.query(Q.principalsOn, [deputyId, day])) as Array<{ principalId: string }>).map((row) => row.principalId);
  }
}
