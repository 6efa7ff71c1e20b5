import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { toCsv, toReadableCsv, toReadableXlsx, toXlsx, type Table } from '../common/export/table-export';
import type { ExportShape } from '../common/export/export-query.dto';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { type CalendarDate } from '../common/time/calendar-date';
import { budgetReport, type BudgetReport } from './budget.rules';
import { yearPeriod } from './report-arithmetic.rules';
import { ReportSourcesService } from './report-sources.service';
import { budgetTable, readableBudgetTable, readableSpendTable, spendTable, supplierPerformanceTable, type SpendBreakdown } from './reports.export';
import { spendReport, type SpendReport } from './spend.rules';
import { supplierPerformance, type SupplierPerformanceReport } from './supplier-performance.rules';
import { Clock } from '../common/time/clock';

export type ReportName = 'budget' | 'spend' | 'supplier-performance';
export type ExportFormat = 'csv' | 'xlsx';

export interface ReportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The reports: each loads its figures in one repeatable-read transaction (so spent, committed and the
 * grants behind them are one snapshot), hands them to its pure rules, and answers the result as JSON or
 * as a CSV/XLSX table. Citizens are counted by id only; no name or CPR number is ever read.
 */
@Injectable()
export class ReportsService {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sources: ReportSourcesService,
    private readonly clock: Clock,
  ) {}

  async budget(year: number): Promise<BudgetReport> {
    const today = this.today();
    const { from, to } = yearPeriod(year);
    const [budget, suppliers] = await Promise.all([this.sources.budgetYear(year), this.sources.suppliers()]);
    const { deliveries, grants } = await this.snapshot(async (manager) => {
      const active = (await this.sources.grantsMeeting(manager, from, to)).filter((grant) => grant.status === 'active');
      const rates = await this.sources.rateCards(manager, active.map((grant) => grant.agreementId));
      return {
        deliveries: await this.sources.approvedDeliveries(manager, from, to),
        grants: active.map((grant) => ({ ...grant, grantId: grant.id, rates: rates.get(grant.agreementId) ?? [] })),
      };
    });
    return budgetReport({ year, today, budget: budget && { budgetOre: budget.budgetOre, frameOre: budget.frameOre }, deliveries, grants, suppliers });
  }

  async spend(year: number): Promise<SpendReport> {
    const { from, to } = yearPeriod(year);
    const suppliers = await this.sources.suppliers();
    const { deliveries, citizens, grants } = await this.snapshot(async (manager) => {
      const deliveries = await this.sources.approvedDeliveries(manager, from, to);
      const citizens = await this.sources.citizenIdsOf(manager, deliveries);
      return { deliveries, citizens, grants: await this.sources.grantsMeeting(manager, from, to) };
    });
    return spendReport({
      year,
      deliveries: deliveries.map((d) => ({ citizenId: citizenOf(citizens, d.deliveryId), mentorType: d.mentorType, supplierId: d.supplierId, approvedOre: d.approvedOre })),
      grants: grants.map((g) => ({ mentorType: g.mentorType, supplierId: g.supplierId, status: g.status, start: g.start, endedOn: g.endedOn, outcome: g.outcome })),
      suppliers,
    });
  }

  async supplierPerformance(year: number): Promise<SupplierPerformanceReport> {
    const today = this.today();
    const { from, to } = yearPeriod(year);
    const suppliers = await this.sources.suppliers();
    const loaded = await this.snapshot(async (manager) => ({
      grants: await this.sources.grantsMeeting(manager, from, to),
      deliveries: await this.sources.approvedDeliveries(manager, from, to),
      invoices: await this.sources.invoiceCounts(manager, from, to),
      missedContacts: await this.sources.missedContactFindings(manager, year),
    }));
    return supplierPerformance({
      year,
      today,
      grants: loaded.grants.map((g) => ({ supplierId: g.supplierId, minutesPerWeek: g.minutesPerWeek, start: g.start, end: g.endedOn ?? g.end })),
      deliveries: loaded.deliveries.map((d) => ({ supplierId: d.supplierId, date: d.date, minutes: d.minutes })),
      invoices: loaded.invoices,
      missedContacts: loaded.missedContacts,
      suppliers,
    });
  }

  /**
   * A report as a CSV (';', UTF-8 with BOM) or XLSX file: budget and spend for people by default (headers and
   * labels in the language, kroner as numbers, the period and a totals row), the machine table when `raw`.
   * Supplier performance is the machine table only.
   */
  async export(report: ReportName, year: number, format: ExportFormat, shape: ExportShape & { by?: SpendBreakdown } = { raw: true, lang: 'da' }): Promise<ReportFile> {
    const contentType = CONTENT_TYPES[format];
    if (!shape.raw && report !== 'supplier-performance') {
      const t = (key: string, params: Record<string, unknown> = {}) => translate(this.catalogues, shape.lang, key, params);
      const table = report === 'budget' ? readableBudgetTable(await this.budget(year), t, shape.lang) : readableSpendTable(await this.spend(year), shape.by ?? 'mentor_type', t, shape.lang);
      return { filename: `${report}-${year}.${format}`, contentType, body: format === 'csv' ? Buffer.from(toReadableCsv(table), 'utf8') : await toReadableXlsx(table) };
    }
    const table = await this.table(report, year);
    return { filename: `${report}-${year}.${format}`, contentType, body: format === 'csv' ? Buffer.from(toCsv(table), 'utf8') : await toXlsx(table) };
  }

  private async table(report: ReportName, year: number): Promise<Table> {
    if (report === 'budget') return budgetTable(await this.budget(year));
    if (report === 'spend') return spendTable(await this.spend(year));
    return supplierPerformanceTable(await this.supplierPerformance(year));
  }

  private snapshot<T>(read: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', read);
  }

  private today(): CalendarDate {
    return this.clock.today();
  }
}

function citizenOf(citizens: Map<string, string>, deliveryId: string): string {
  const citizenId = citizens.get(deliveryId);
  // The ledger only holds deliveries with a grant, and every grant has a citizen.
  if (citizenId === undefined) throw new Error(`delivery ${deliveryId} has no grant with a citizen`);
  return citizenId;
}
