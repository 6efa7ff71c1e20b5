import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { DEFAULT_RULE_SET_VERSIONS, ruleSetInForce, ruleSetShapeProblems, validateRuleSetValues, type RuleSetValues, type RuleSetVersion } from './rule-set';
import { RuleSetVersionRow } from './rule-set-version.entity';

export interface StoredRuleSetVersion extends RuleSetVersion {
  /** `shipped` for the defaults in code, `added` for versions an admin entered. */
  source: 'shipped' | 'added';
  note: string | null;
}

/** The dated rule sets: the shipped defaults plus the versions admin adds; a later date wins. */
@Injectable()
export class RulesService {
  private cache: StoredRuleSetVersion[] | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Every version; `manager` is the caller's transaction, when there is one (the embedded database has one connection). */
  async versions(manager: EntityManager = this.dataSource.manager): Promise<StoredRuleSetVersion[]> {
    if (this.cache) return this.cache;
    const rows = await manager.getRepository(RuleSetVersionRow).find({ order: { effectiveFrom: 'ASC' } });
    const byDate = new Map<string, StoredRuleSetVersion>();
    for (const version of DEFAULT_RULE_SET_VERSIONS) byDate.set(version.effectiveFrom, { ...version, source: 'shipped', note: null });
    for (const row of rows) byDate.set(row.effectiveFrom, { effectiveFrom: row.effectiveFrom, values: row.values, source: 'added', note: row.note });
    this.cache = [...byDate.values()].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    return this.cache;
  }

  /** The rule-set values in force on a date (a grant's start, an expense's date); a 422 before the first version. */
  async valuesInForce(date: CalendarDate, manager?: EntityManager): Promise<RuleSetValues> {
    const versions = await this.versions(manager);
    if (versions.length === 0 || compareDates(date, versions[0].effectiveFrom) < 0) {
      throw DomainException.rule('No rule set is in force on the date', [
        { rule: 'rule_set_in_force', message: `no rule set is in force on ${date}; the first applies from ${versions[0]?.effectiveFrom ?? '–'}`, values: { date, firstEffectiveFrom: versions[0]?.effectiveFrom ?? null } },
      ]);
    }
    return ruleSetInForce(versions, date).values;
  }

  /** Adds a version from a date; its numbers must be coherent. Replaces an added version of the same date. */
  async addVersion(effectiveFrom: CalendarDate, submitted: Record<string, unknown>, note: string | null, actor: Actor): Promise<StoredRuleSetVersion> {
    const malformed = ruleSetShapeProblems(submitted);
    if (malformed.length > 0) throw DomainException.rule('The rule set is malformed', malformed);
    const values = submitted as unknown as RuleSetValues;
    const problems = validateRuleSetValues(values);
    if (problems.length > 0) throw DomainException.rule('The rule set is not coherent', problems);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO rule_set_version (effective_from, rule_values, note, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (effective_from) DO UPDATE SET rule_values = EXCLUDED.rule_values, note = EXCLUDED.note, created_by = EXCLUDED.created_by`,
        [effectiveFrom, JSON.stringify(values), note, actor.userId],
      );
      await this.audit.record(manager, actor, { action: 'rule_set.version_added', entityType: 'rule_set', entityId: effectiveFrom, change: { effectiveFrom, note, values: values as unknown as Record<string, unknown> } });
    });
    this.cache = null;
    return (await this.versions()).find((version) => version.effectiveFrom === effectiveFrom)!;
  }
}
