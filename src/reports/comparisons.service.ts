import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { APP_CONFIG, type AppConfig } from '../common/config/app-config';
import { DomainException } from '../common/errors/domain.exception';
import { MUNICIPALITIES } from '../common/municipalities';
import { comparison, readComparisonFile, type Comparison } from './comparison.rules';
import { MunicipalityFigureStore } from './municipality-figure.store';
import { ReportsService } from './reports.service';

export interface ComparisonImportResult {
  importId: string;
  rows: number;
  /** Rows that replaced figures stored before. */
  replaced: number;
  periods: number[];
}

/**
 * The comparison with other municipalities (002): published figures imported whole or not at all (audited),
 * and this municipality's own figures from the portal set beside them.
 */
@Injectable()
export class ComparisonsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly store: MunicipalityFigureStore,
    private readonly reports: ReportsService,
  ) {}

  async import(text: string, actor: Actor): Promise<ComparisonImportResult> {
    const file = readComparisonFile(text);
    if (file.problems.length > 0) throw DomainException.rule('The file is not wholly valid; nothing was imported', file.problems);
    const importId = randomUUID();
    const periods = [...new Set(file.rows.map((r) => r.period))].sort((a, b) => a - b);
    const replaced = await this.dataSource.transaction(async (manager) => {
      const before = await this.store.existing(manager, file.rows);
      await this.store.put(manager, file.rows, actor.userId);
      await this.audit.record(manager, actor, {
        action: 'municipality_figures.imported',
        entityType: 'municipality_figure_import',
        entityId: importId,
        change: { rows: file.rows.length, replaced: before, periods },
      });
      return before;
    });
    return { importId, rows: file.rows.length, replaced, periods };
  }

  periods(): Promise<number[]> {
    return this.store.periods(this.dataSource.manager);
  }

  /** The year's comparison: the portal's persons with an approved grant in the year and approved spending beside the published figures. */
  async comparison(period: number): Promise<Comparison> {
    const published = await this.store.ofPeriod(this.dataSource.manager, period);
    const [statistics, spend] = [await this.reports.statistics(period), await this.reports.spend(period)];
    const code = this.config.municipalityCode;
    return comparison({
      period,
      municipality: code === null ? null : (MUNICIPALITIES.find((m) => m.code === code) ?? null),
      portal: { personsWithMentor: statistics.cumulative.citizens, costOre: spend.total.amountOre },
      published,
    });
  }
}
