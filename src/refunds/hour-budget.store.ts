import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { MentorType } from '../rules/rule-set';

/** A year's hour budget for a mentor type and supplier (null: every supplier of the type): the sum of its ledger entries. */
export interface HourBudgetRow {
  year: number;
  mentorType: MentorType;
  supplierId: string | null;
  minutes: number;
}

/** The municipality's full-time persons in the target group of a year, in hundredths. */
export interface FullTimePersonsRow {
  year: number;
  hundredths: number;
  source: 'entered' | 'imported';
  updatedAt: Date;
}

export const HOUR_BUDGET_SQL = sqlQueries('refunds/hour-budget.store', {
  // One writer at a time per year: the delta appended is read against the sum it changes.
  lockYear: `SELECT pg_advisory_xact_lock(hashtext('hour_budget_entry'), $1)`,
  budgetsOfYear: `
    SELECT year, mentor_type, supplier_id, sum(minutes)::text AS minutes FROM hour_budget_entry WHERE year = $1
    GROUP BY year, mentor_type, supplier_id HAVING sum(minutes) <> 0 ORDER BY mentor_type, supplier_id NULLS FIRST`,
  budgetOf: `SELECT coalesce(sum(minutes), 0)::text AS minutes FROM hour_budget_entry WHERE year = $1 AND mentor_type = $2 AND supplier_id IS NOT DISTINCT FROM $3`,
  append: `INSERT INTO hour_budget_entry (year, mentor_type, supplier_id, minutes, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)`,
  fullTimePersons: `SELECT year, hundredths::text AS hundredths, source, updated_at FROM full_time_persons_year WHERE year = $1`,
  putFullTimePersons: `
    INSERT INTO full_time_persons_year (year, hundredths, source, updated_by) VALUES ($1, $2, $3, $4)
    ON CONFLICT (year) DO UPDATE SET hundredths = EXCLUDED.hundredths, source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, updated_at = now()`,
});

const Q = HOUR_BUDGET_SQL;

/** Every query on hour_budget_entry and full_time_persons_year. */
@Injectable()
export class HourBudgetStore {
  async lockYear(manager: EntityManager, year: number): Promise<void> {
    await manager.query(Q.lockYear, [year]);
  }

  async budgetsOfYear(manager: EntityManager, year: number): Promise<HourBudgetRow[]> {
    const rows = (await manager.query(Q.budgetsOfYear, [year])) as Array<{ year: number; mentor_type: MentorType; supplier_id: string | null; minutes: string }>;
    return rows.map((row) => ({ year: row.year, mentorType: row.mentor_type, supplierId: row.supplier_id, minutes: Number(row.minutes) }));
  }

  async budgetOf(manager: EntityManager, year: number, mentorType: MentorType, supplierId: string | null): Promise<number> {
    const [row] = (await manager.query(Q.budgetOf, [year, mentorType, supplierId])) as Array<{ minutes: string }>;
    return Number(row.minutes);
  }

  async append(manager: EntityManager, entry: { year: number; mentorType: MentorType; supplierId: string | null; minutes: number; note: string | null }, userId: string | null): Promise<void> {
    await manager.query(Q.append, [entry.year, entry.mentorType, entry.supplierId, entry.minutes, entry.note, userId]);
  }

  async fullTimePersons(manager: EntityManager, year: number): Promise<FullTimePersonsRow | null> {
    const [row] = (await manager.query(Q.fullTimePersons, [year])) as Array<{ year: number; hundredths: string; source: 'entered' | 'imported'; updated_at: Date }>;
    return row === undefined ? null : { year: row.year, hundredths: Number(row.hundredths), source: row.source, updatedAt: row.updated_at };
  }

  async putFullTimePersons(manager: EntityManager, year: number, hundredths: number, source: 'entered' | 'imported', userId: string | null): Promise<void> {
    await manager.query(Q.putFullTimePersons, [year, hundredths, source, userId]);
  }
}
