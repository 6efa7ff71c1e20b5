import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';
import type { RuleSetValues } from './rule-set';
import { RuleSetVersionRow } from './rule-set-version.entity';

export const RULE_SET_SQL = sqlQueries('rules/rule-set.store', {
  // The stored versions' count and latest change: changes whenever a version is added or replaced.
  stamp: `SELECT count(*)::text || '@' || coalesce(max(created_at)::text, '-') AS stamp FROM rule_set_version`,
  put: `
    INSERT INTO rule_set_version (effective_from, rule_values, note, created_by) VALUES ($1, $2, $3, $4)
    ON CONFLICT (effective_from) DO UPDATE SET rule_values = EXCLUDED.rule_values, note = EXCLUDED.note, created_by = EXCLUDED.created_by, created_at = now()`,
});

const Q = RULE_SET_SQL;

/** Every query on rule_set_version. */
@Injectable()
export class RuleSetStore {
  async stamp(manager: EntityManager): Promise<string> {
    const [row] = (await manager.query(Q.stamp)) as Array<{ stamp: string }>;
    return row.stamp;
  }

  /** The added versions by date. */
  versions(manager: EntityManager): Promise<RuleSetVersionRow[]> {
    return manager.getRepository(RuleSetVersionRow).find({ order: { effectiveFrom: 'ASC' } });
  }

  /** Adds a version, or replaces the added version of the same date. */
  async put(manager: EntityManager, effectiveFrom: CalendarDate, values: RuleSetValues, note: string | null, userId: string | null): Promise<void> {
    await manager.query(Q.put, [effectiveFrom, JSON.stringify(values), note, userId]);
  }
}
