import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import type { ErrorDetail } from '../common/errors/domain.exception';
import type { MentorType } from '../rules/rule-set';
import { HourBudgetStore, type FullTimePersonsRow, type HourBudgetRow } from './hour-budget.store';
import { parseFullTimePersonsCsv } from './full-time-persons.rules';

export type { FullTimePersonsRow, HourBudgetRow } from './hour-budget.store';

/**
 * Finance's budgets beside the kroner: hours per year, mentor type and supplier (a ledger whose sum is the
 * budget: setting a budget appends the difference), and the municipality's full-time persons per year for
 * the budget-guarantee limit, entered or imported. Every change audited in its transaction.
 */
@Injectable()
export class HourBudgetsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: HourBudgetStore,
  ) {}

  budgetsOfYear(year: number): Promise<HourBudgetRow[]> {
    return this.store.budgetsOfYear(this.dataSource.manager, year);
  }

  /** Sets the year's budget of a mentor type (and supplier) to `minutes`: appends the difference to the ledger. */
  async setBudget(year: number, mentorType: MentorType, supplierId: string | null, minutes: number, note: string | null, actor: Actor): Promise<HourBudgetRow> {
    await this.dataSource.transaction(async (manager) => {
      await this.store.lockYear(manager, year);
      const before = await this.store.budgetOf(manager, year, mentorType, supplierId);
      if (before === minutes) return;
      await this.store.append(manager, { year, mentorType, supplierId, minutes: minutes - before, note }, actor.userId);
      await this.audit.record(manager, actor, {
        action: 'hour_budget.set',
        entityType: 'hour_budget',
        entityId: `${year}/${mentorType}/${supplierId ?? 'all'}`,
        change: { year, mentorType, supplierId, minutes: { from: before, to: minutes }, note },
      });
    });
    return { year, mentorType, supplierId, minutes };
  }

  fullTimePersons(year: number): Promise<FullTimePersonsRow | null> {
    return this.store.fullTimePersons(this.dataSource.manager, year);
  }

  /** Enters the year's full-time persons (hundredths). */
  async putFullTimePersons(year: number, hundredths: number, actor: Actor): Promise<FullTimePersonsRow> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.store.fullTimePersons(manager, year);
      await this.store.putFullTimePersons(manager, year, hundredths, 'entered', actor.userId);
      await this.audit.record(manager, actor, { action: 'full_time_persons.entered', entityType: 'full_time_persons', entityId: String(year), change: { hundredths: { from: before?.hundredths ?? null, to: hundredths } } });
    });
    return (await this.fullTimePersons(year)) as FullTimePersonsRow;
  }

  /** Imports full-time persons per year from CSV (`year;full_time_persons`); a file with any bad row is refused whole, naming each row. */
  async importFullTimePersons(text: string, actor: Actor): Promise<FullTimePersonsRow[]> {
    const parsed = parseFullTimePersonsCsv(text);
    if (parsed.problems.length > 0) throw DomainException.rule('The file is not wholly valid; nothing was imported', parsed.problems as ErrorDetail[]);
    await this.dataSource.transaction(async (manager) => {
      for (const row of parsed.rows) {
        const before = await this.store.fullTimePersons(manager, row.year);
        await this.store.putFullTimePersons(manager, row.year, row.hundredths, 'imported', actor.userId);
        await this.audit.record(manager, actor, { action: 'full_time_persons.imported', entityType: 'full_time_persons', entityId: String(row.year), change: { hundredths: { from: before?.hundredths ?? null, to: row.hundredths } } });
      }
    });
    return Promise.all(parsed.rows.map(async (row) => (await this.fullTimePersons(row.year)) as FullTimePersonsRow));
  }
}
