import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';

/** A year's budget and refund frame as stored. */
export interface BudgetYearRow {
  year: number;
  budgetOre: number;
  /** null: no refund frame applies. */
  frameOre: number | null;
  note: string | null;
  updatedAt: Date;
}

interface BudgetYearRecord {
  year: number;
  budget_ore: string;
  frame_ore: string | null;
  note: string | null;
  updated_at: Date;
}

const COLUMNS = `year, budget_ore, frame_ore, note, updated_at`;

export const BUDGET_YEAR_SQL = sqlQueries('refunds/budget-year.store', {
  list: `SELECT ${COLUMNS} FROM budget_year ORDER BY year DESC`,
  get: `SELECT ${COLUMNS} FROM budget_year WHERE year = $1`,
  getForUpdate: `SELECT ${COLUMNS} FROM budget_year WHERE year = $1 FOR UPDATE`,
  put: `
    INSERT INTO budget_year (year, budget_ore, frame_ore, note, updated_by) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (year) DO UPDATE SET budget_ore = EXCLUDED.budget_ore, frame_ore = EXCLUDED.frame_ore, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()`,
  frames: `SELECT year, frame_ore FROM budget_year`,
});

const Q = BUDGET_YEAR_SQL;


function budgetYear(row: BudgetYearRecord): BudgetYearRow {
  return { year: row.year, budgetOre: readOre(row.budget_ore), frameOre: row.frame_ore === null ? null : readOre(row.frame_ore), note: row.note, updatedAt: row.updated_at };
}

/** Every query on budget_year. */
@Injectable()
export class BudgetYearStore {
  async list(manager: EntityManager): Promise<BudgetYearRow[]> {
    return ((await manager.query(Q.list)) as BudgetYearRecord[]).map(budgetYear);
  }

  /** The year; `lock` holds its row until the caller's transaction ends. */
  async get(manager: EntityManager, year: number, lock = false): Promise<BudgetYearRow | null> {
    const [row] = (await manager.query(lock ? Q.getForUpdate : Q.get, [year])) as BudgetYearRecord[];
    return row ? budgetYear(row) : null;
  }

  async put(manager: EntityManager, year: number, values: { budgetOre: number; frameOre: number | null; note: string | null }, userId: string | null): Promise<void> {
    await manager.query(Q.put, [year, values.budgetOre, values.frameOre, values.note, userId]);
  }

  /** Each year's refund frame (null: none applies). */
  async frames(manager: EntityManager): Promise<Map<number, number | null>> {
    const rows = (await manager.query(Q.frames)) as Array<{ year: number; frame_ore: string | null }>;
    return new Map(rows.map((row) => [row.year, row.frame_ore === null ? null : readOre(row.frame_ore)]));
  }
}
