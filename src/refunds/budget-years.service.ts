import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { BudgetYearStore, type BudgetYearRow } from './budget-year.store';

export interface BudgetYearDto {
  year: number;
  budgetOre: number;
  /** The state refund frame (refusionsramme) of the year; null when none applies. */
  frameOre: number | null;
  note: string | null;
  updatedAt: string;
}

/** The year's budget for mentor support and its refund frame, entered by finance. */
@Injectable()
export class BudgetYearsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: BudgetYearStore,
  ) {}

  async list(): Promise<BudgetYearDto[]> {
    return (await this.store.list(this.dataSource.manager)).map(dto);
  }

  async get(year: number): Promise<BudgetYearDto | null> {
    const row = await this.store.get(this.dataSource.manager, year);
    return row ? dto(row) : null;
  }

  async put(year: number, values: { budgetOre: number; frameOre: number | null; note?: string | null }, actor: Actor): Promise<BudgetYearDto> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.store.get(manager, year, true);
      await this.store.put(manager, year, { budgetOre: values.budgetOre, frameOre: values.frameOre, note: values.note ?? null }, actor.userId);
      await this.audit.record(manager, actor, {
        action: 'budget_year.saved',
        entityType: 'budget_year',
        entityId: String(year),
        change: { budgetOre: { from: before ? before.budgetOre : null, to: values.budgetOre }, frameOre: { from: before?.frameOre ?? null, to: values.frameOre } },
      });
    });
    return (await this.get(year)) as BudgetYearDto;
  }
}

function dto(row: BudgetYearRow): BudgetYearDto {
  return { year: row.year, budgetOre: row.budgetOre, frameOre: row.frameOre, note: row.note, updatedAt: row.updatedAt.toISOString() };
}
