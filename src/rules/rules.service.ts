import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { DEFAULT_RULE_SET_VERSIONS, ruleSetInForce, withCourseDefaults, ruleSetShapeProblems, validateRuleSetValues, type RuleSetValues, type RuleSetVersion } from './rule-set';
import { RuleSetStore } from './rule-set.store';
import { RulesErrorCode } from './rules.errors';

const SHIPPED_FINGERPRINT = createHash('sha256').update(JSON.stringify(DEFAULT_RULE_SET_VERSIONS)).digest('hex').slice(0, 16);

export interface RuleSetSnapshot {
  /** Changes whenever the rule sets do; the same in every process. */
  fingerprint: string;
  /** The values in force on a date; a 422 before the first version. */
  valuesOn: (date: CalendarDate) => RuleSetValues;
}

export interface StoredRuleSetVersion extends RuleSetVersion {
  /** `shipped` for the defaults in code, `added` for versions an admin entered. */
  source: 'shipped' | 'added';
  note: string | null;
}

/** The dated rule sets: the shipped defaults plus the versions admin adds; a later date wins. */
@Injectable()
export class RulesService {
  private cache: { stamp: string; versions: StoredRuleSetVersion[] } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: RuleSetStore,
  ) {}

  /**
   * Every version; `manager` is the caller's transaction, when there is one (the embedded database has one
   * connection). Kept in memory and read again when the stored versions changed, in this process or another
   * (an api process adds a version; the workers' next job uses it).
   */
  async versions(manager: EntityManager = this.dataSource.manager): Promise<StoredRuleSetVersion[]> {
    return (await this.current(manager)).versions;
  }

  private async current(manager: EntityManager): Promise<{ stamp: string; versions: StoredRuleSetVersion[] }> {
    const stamp = await this.stamp(manager);
    if (this.cache?.stamp === stamp) return this.cache;
    const rows = await this.store.versions(manager);
    const byDate = new Map<string, StoredRuleSetVersion>();
    for (const version of DEFAULT_RULE_SET_VERSIONS) byDate.set(version.effectiveFrom, { ...version, source: 'shipped', note: version.note ?? null });
    for (const row of rows) byDate.set(row.effectiveFrom, { effectiveFrom: row.effectiveFrom, values: withCourseDefaults(row.values), source: 'added', note: row.note });
    const versions = [...byDate.values()].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    this.cache = { stamp, versions };
    return this.cache;
  }

  /** The versions' fingerprint and valuesInForce for many dates, from one look at the stored versions. */
  async snapshot(manager: EntityManager = this.dataSource.manager): Promise<RuleSetSnapshot> {
    const { stamp, versions } = await this.current(manager);
    return { fingerprint: `${SHIPPED_FINGERPRINT}/${stamp}`, valuesOn: (date) => valuesOn(versions, date) };
  }

  /** The stored versions' count and latest change, one cheap read. */
  private async stamp(manager: EntityManager): Promise<string> {
    return this.store.stamp(manager);
  }

  /** The rule-set values in force on a date (a grant's start, an expense's date); a 422 before the first version. */
  async valuesInForce(date: CalendarDate, manager?: EntityManager): Promise<RuleSetValues> {
    return (await this.snapshot(manager)).valuesOn(date);
  }

  /** Adds a version from a date; its numbers must be coherent. Replaces an added version of the same date. */
  async addVersion(effectiveFrom: CalendarDate, submitted: Record<string, unknown>, note: string | null, actor: Actor): Promise<StoredRuleSetVersion> {
    const malformed = ruleSetShapeProblems(submitted);
    if (malformed.length > 0) throw DomainException.rule('The rule set is malformed', malformed);
    const values = withCourseDefaults(submitted as unknown as RuleSetValues);
    const problems = validateRuleSetValues(values);
    if (problems.length > 0) throw DomainException.rule('The rule set is not coherent', problems);
    await this.dataSource.transaction(async (manager) => {
      await this.store.put(manager, effectiveFrom, values, note, actor.userId);
      await this.audit.record(manager, actor, { action: 'rule_set.version_added', entityType: 'rule_set', entityId: effectiveFrom, change: { effectiveFrom, note, values: values as unknown as Record<string, unknown> } });
    });
    return (await this.versions()).find((version) => version.effectiveFrom === effectiveFrom)!;
  }
}

/** The values in force on a date; a 422 before the first version. */
function valuesOn(versions: StoredRuleSetVersion[], date: CalendarDate): RuleSetValues {
  if (versions.length === 0 || compareDates(date, versions[0].effectiveFrom) < 0) {
    throw DomainException.rule('No rule set is in force on the date', [
      { rule: RulesErrorCode.RuleSetInForce, message: `no rule set is in force on ${date}; the first applies from ${versions[0]?.effectiveFrom ?? '–'}`, values: { date, firstEffectiveFrom: versions[0]?.effectiveFrom ?? null } },
    ]);
  }
  return ruleSetInForce(versions, date).values;
}
