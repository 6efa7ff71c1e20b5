import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';

/** A municipality's published figures of a year. */
export interface MunicipalityFigure {
  municipalityCode: string;
  municipalityName: string;
  period: number;
  personsWithMentor: number;
  population: number;
  costOre: number | null;
  importedAt: Date;
}

export const MUNICIPALITY_FIGURE_SQL = sqlQueries('reports/municipality-figure.store', {
  ofPeriod: `
    SELECT municipality_code, municipality_name, period, persons_with_mentor, population, cost_ore::text AS cost_ore, imported_at
    FROM municipality_figure WHERE period = $1 ORDER BY municipality_code`,
  periods: `SELECT DISTINCT period FROM municipality_figure ORDER BY period DESC`,
  existing: `SELECT count(*)::int AS count FROM municipality_figure WHERE (period, municipality_code) IN (SELECT * FROM unnest($1::int[], $2::text[]))`,
  put: `
    INSERT INTO municipality_figure (municipality_code, municipality_name, period, persons_with_mentor, population, cost_ore, imported_by)
    SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::bigint[], $7::uuid[])
    ON CONFLICT (period, municipality_code) DO UPDATE SET municipality_name = EXCLUDED.municipality_name, persons_with_mentor = EXCLUDED.persons_with_mentor,
      population = EXCLUDED.population, cost_ore = EXCLUDED.cost_ore, imported_by = EXCLUDED.imported_by, imported_at = now()`,
});

const Q = MUNICIPALITY_FIGURE_SQL;

type Row = { municipality_code: string; municipality_name: string; period: number; persons_with_mentor: number; population: number; cost_ore: string | null; imported_at: Date };

/** Every query on municipality_figure. */
@Injectable()
export class MunicipalityFigureStore {
  async ofPeriod(manager: EntityManager, period: number): Promise<MunicipalityFigure[]> {
    const rows = (await manager.query(Q.ofPeriod, [period])) as Row[];
    return rows.map((r) => ({
      municipalityCode: r.municipality_code,
      municipalityName: r.municipality_name,
      period: r.period,
      personsWithMentor: r.persons_with_mentor,
      population: r.population,
      costOre: r.cost_ore === null ? null : Number(r.cost_ore),
      importedAt: r.imported_at,
    }));
  }

  async periods(manager: EntityManager): Promise<number[]> {
    return ((await manager.query(Q.periods)) as Array<{ period: number }>).map((r) => r.period);
  }

  /** How many of the rows replace figures already stored. */
  async existing(manager: EntityManager, rows: Array<{ period: number; municipalityCode: string }>): Promise<number> {
    const [row] = (await manager.query(Q.existing, [rows.map((r) => r.period), rows.map((r) => r.municipalityCode)])) as Array<{ count: number }>;
    return row.count;
  }

  async put(manager: EntityManager, rows: Array<Omit<MunicipalityFigure, 'importedAt'>>, userId: string | null): Promise<void> {
    await manager.query(Q.put, [
      rows.map((r) => r.municipalityCode),
      rows.map((r) => r.municipalityName),
      rows.map((r) => r.period),
      rows.map((r) => r.personsWithMentor),
      rows.map((r) => r.population),
      rows.map((r) => r.costOre),
      rows.map(() => userId),
    ]);
  }
}
