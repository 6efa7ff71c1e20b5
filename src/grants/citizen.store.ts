import { keysetPage, keysetQueries } from '../common/database/keyset';
import type { KeysetPage, PageRequest } from '../common/web/list-query';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';
import type { TargetGroup } from '../rules/rule-set';

/** A citizen as shown to staff: the CPR number masked only. */
export interface CitizenRow {
  id: string;
  maskedCpr: string;
  name: string;
  caseNumber: string;
  targetGroup: TargetGroup;
  createdAt: Date;
}

export interface NewCitizen {
  cprEncrypted: Buffer;
  cprLookup: string;
  maskedCpr: string;
  name: string;
  caseNumber: string;
  targetGroup: TargetGroup;
}

/** One entry of a citizen's target-group history. */
export interface TargetGroupHistoryRow {
  targetGroup: TargetGroup;
  effectiveFrom: CalendarDate;
  recordedBy: string | null;
  recordedAt: Date;
}

interface CitizenRecord {
  id: string;
  cpr_masked: string;
  name: string;
  case_number: string;
  target_group: TargetGroup;
  created_at: Date;
}

// Never select cpr_encrypted or cpr_lookup into a response.
const COLUMNS = 'id, cpr_masked, name, case_number, target_group, created_at';

/** The citizens list's sorts: name, case number, newest registered. */
export const CITIZEN_SORTS = { name: 'asc', caseNumber: 'asc', created: 'desc' } as const;
export type CitizenSort = keyof typeof CITIZEN_SORTS;

export const CITIZEN_SQL = sqlQueries('grants/citizen.store', {
  // The searchable list: $1 a whole CPR number's lookup hash, $2 a pattern on the name or case number, $3 the masked CPR number.
  ...keysetQueries('page', {
    select: COLUMNS,
    from: 'FROM citizen',
    where: `WHERE ($1::bpchar IS NULL OR cpr_lookup = $1) AND ($2::text IS NULL OR name ILIKE $2 OR case_number ILIKE $2 OR cpr_masked = $3::text)`,
    params: 3,
    id: 'id',
    sorts: { name: { expr: 'name', cast: 'text' }, caseNumber: { expr: 'case_number', cast: 'text' }, created: { expr: 'created_at', cast: 'timestamptz' } },
  }),
  insert: `
    INSERT INTO citizen (cpr_encrypted, cpr_lookup, cpr_masked, name, case_number, target_group)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
  // By the CPR number's lookup hash and/or a name or case number pattern: null leaves one out.
  search: `
    SELECT ${COLUMNS} FROM citizen
     WHERE ($1::bpchar IS NULL OR cpr_lookup = $1) AND ($2::text IS NULL OR name ILIKE $2 OR case_number ILIKE $2)
     ORDER BY name, id LIMIT $3`,
  get: `SELECT ${COLUMNS} FROM citizen WHERE id = $1`,
  idByLookup: `SELECT id FROM citizen WHERE cpr_lookup = $1`,
  // Only for deriving birth dates server-side (the statistics' age bands); the ciphertext never leaves the service.
  encryptedCprsOf: `SELECT id, cpr_encrypted AS "cprEncrypted" FROM citizen WHERE id = ANY($1::uuid[])`,
  // The case system's key: the oldest citizen with the case number.
  byCaseNumber: `SELECT id, cpr_lookup AS "cprLookup", name FROM citizen WHERE case_number = $1 ORDER BY created_at, id LIMIT 1`,
  rename: `UPDATE citizen SET name = $2, updated_at = now() WHERE id = $1 AND name <> $2`,
  // The target-group history: one entry per day it changes; a second entry on the same day replaces the first.
  lockCitizen: `SELECT id FROM citizen WHERE id = $1 FOR UPDATE`,
  recordTargetGroup: `
    INSERT INTO citizen_target_group (citizen_id, target_group, effective_from, recorded_by) VALUES ($1, $2, $3, $4)
    ON CONFLICT (citizen_id, effective_from) DO UPDATE SET target_group = EXCLUDED.target_group, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
  targetGroupHistory: `
    SELECT target_group AS "targetGroup", effective_from::text AS "effectiveFrom", recorded_by AS "recordedBy", recorded_at AS "recordedAt"
      FROM citizen_target_group WHERE citizen_id = $1 ORDER BY effective_from`,
  // The citizen's target group as the lists show it: the one in force on $2 (today).
  setCurrentTargetGroup: `
    UPDATE citizen c SET target_group = h.target_group, updated_at = now()
      FROM (SELECT target_group FROM citizen_target_group WHERE citizen_id = $1 AND effective_from <= $2 ORDER BY effective_from DESC LIMIT 1) h
     WHERE c.id = $1`,
});

const Q = CITIZEN_SQL;

function citizenRow(r: CitizenRecord): CitizenRow {
  return { id: r.id, maskedCpr: r.cpr_masked, name: r.name, caseNumber: r.case_number, targetGroup: r.target_group, createdAt: r.created_at };
}

/** Every query on citizen. */
@Injectable()
export class CitizenStore {
  async insert(manager: EntityManager, citizen: NewCitizen): Promise<CitizenRow> {
    const [row] = (await manager.query(Q.insert, [citizen.cprEncrypted, citizen.cprLookup, citizen.maskedCpr, citizen.name, citizen.caseNumber, citizen.targetGroup])) as CitizenRecord[];
    return citizenRow(row);
  }

  /** `pattern` is an ILIKE pattern, its wildcards escaped by the caller. */
  async search(manager: EntityManager, search: { cprLookup: string | null; pattern: string | null; limit: number }): Promise<CitizenRow[]> {
    return ((await manager.query(Q.search, [search.cprLookup, search.pattern, search.limit])) as CitizenRecord[]).map(citizenRow);
  }

  /** A page of citizens found by a whole CPR number's hash, or a pattern on name or case number, or a masked number. */
  async page(manager: EntityManager, search: { cprLookup: string | null; pattern: string | null; maskedCpr: string | null }, request: PageRequest<CitizenSort>): Promise<KeysetPage<CitizenRow>> {
    const page = await keysetPage<CitizenRecord, CitizenSort>(manager, Q, 'page', request, [search.cprLookup, search.pattern, search.maskedCpr]);
    return { ...page, items: page.items.map(citizenRow) };
  }

  /** The encrypted CPR numbers of these citizens, by id: only for facts derived inside the grants module. */
  async encryptedCprsOf(manager: EntityManager, ids: string[]): Promise<Map<string, Buffer>> {
    if (ids.length === 0) return new Map();
    const rows = (await manager.query(Q.encryptedCprsOf, [ids])) as Array<{ id: string; cprEncrypted: Buffer }>;
    return new Map(rows.map((row) => [row.id, row.cprEncrypted]));
  }

  async get(manager: EntityManager, id: string): Promise<CitizenRow | null> {
    const [row] = (await manager.query(Q.get, [id])) as CitizenRecord[];
    return row ? citizenRow(row) : null;
  }

  /** Holds the citizen's row for the rest of the transaction, so two changes of its history come one after the other. */
  async lock(manager: EntityManager, id: string): Promise<boolean> {
    return ((await manager.query(Q.lockCitizen, [id])) as unknown[]).length === 1;
  }

  async recordTargetGroup(manager: EntityManager, citizenId: string, targetGroup: TargetGroup, effectiveFrom: CalendarDate, recordedBy: string | null): Promise<void> {
    await manager.query(Q.recordTargetGroup, [citizenId, targetGroup, effectiveFrom, recordedBy]);
  }

  targetGroupHistory(manager: EntityManager, citizenId: string): Promise<TargetGroupHistoryRow[]> {
    return manager.query(Q.targetGroupHistory, [citizenId]) as Promise<TargetGroupHistoryRow[]>;
  }

  async setCurrentTargetGroup(manager: EntityManager, citizenId: string, today: CalendarDate): Promise<void> {
    await manager.query(Q.setCurrentTargetGroup, [citizenId, today]);
  }

  async byCaseNumber(manager: EntityManager, caseNumber: string): Promise<{ id: string; cprLookup: string; name: string } | null> {
    const [row] = (await manager.query(Q.byCaseNumber, [caseNumber])) as Array<{ id: string; cprLookup: string; name: string }>;
    return row ?? null;
  }

  /** Gives the citizen a new name; false when it already had it. */
  async rename(manager: EntityManager, id: string, name: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.rename, [id, name])) as [unknown, number];
    return affected === 1;
  }

  async idByLookup(manager: EntityManager, lookup: string): Promise<string | null> {
    const [row] = (await manager.query(Q.idByLookup, [lookup])) as Array<{ id: string }>;
    return row?.id ?? null;
  }
}
