import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
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

export const CITIZEN_SQL = sqlQueries('grants/citizen.store', {
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

  async get(manager: EntityManager, id: string): Promise<CitizenRow | null> {
    const [row] = (await manager.query(Q.get, [id])) as CitizenRecord[];
    return row ? citizenRow(row) : null;
  }

  async idByLookup(manager: EntityManager, lookup: string): Promise<string | null> {
    const [row] = (await manager.query(Q.idByLookup, [lookup])) as Array<{ id: string }>;
    return row?.id ?? null;
  }
}
