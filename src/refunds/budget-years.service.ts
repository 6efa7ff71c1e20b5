import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';

export interface BudgetYearDto {
  year: number;
  budgetOre: number;
  /** The state refund frame (refusionsramme) of the year; null when none applies. */
  frameOre: number | null;
  note: string | null;
  updatedAt: string;
}

interface Row {
  year: number;
  budget_ore: string;
  frame_ore: string | null;
  note: string | null;
  updated_at: Date;
}

/** The year's budget for mentor support and its refund frame, entered by finance. */
@Injectable()
export class BudgetYearsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<BudgetYearDto[]> {
    return ((await this.dataSource.query(`SELECT * FROM budget_year ORDER BY year DESC`)) as Row[]).map(dto);
  }

  async get(year: number): Promise<BudgetYearDto | null> {
    const [row] = (await this.dataSource.query(`SELECT * FROM budget_year WHERE year = $1`, [year])) as Row[];
    return row ? dto(row) : null;
  }

  async put(year: number, values: { budgetOre: number; frameOre: number | null; note?: string | null }, actor: Actor): Promise<BudgetYearDto> {
    await this.dataSource.transaction(async (manager) => {
      const [before] = (await manager.query(`SELECT * FROM budget_year WHERE year = $1 FOR UPDATE`, [year])) as Row[];
      await manager.query(
        `INSERT INTO budget_year (year, budget_ore, frame_ore, note, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (year) DO UPDATE SET budget_ore = EXCLUDED.budget_ore, frame_ore = EXCLUDED.frame_ore, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [year, values.budgetOre, values.frameOre, values.note ?? null, actor.userId],
      );
      await this.audit.record(manager, actor, {
        action: 'budget_year.saved',
        entityType: 'budget_year',
        entityId: String(year),
        change: { budgetOre: { from: before ? Number(before.budget_ore) : null, to: values.budgetOre }, frameOre: { from: before?.frame_ore ? Number(before.frame_ore) : null, to: values.frameOre } },
      });
    });
    return (await this.get(year)) as BudgetYearDto;
  }
}

function dto(row: Row): BudgetYearDto {
  return { year: row.year, budgetOre: Number(row.budget_ore), frameOre: row.frame_ore === null ? null : Number(row.frame_ore), note: row.note, updatedAt: row.updated_at.toISOString() };
}
