import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { toCsv, toReadableCsv, toReadableXlsx, toXlsx, type Table } from '../common/export/table-export';
import type { ExportShape } from '../common/export/export-query.dto';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { minDate, type CalendarDate } from '../common/time/calendar-date';
import { holisticStatusFigure, type HolisticStatusFigure } from './holistic-status.rules';
import { budgetReport, type BudgetReport } from './budget.rules';
import { percentOneDecimal, sumOre, yearPeriod } from './report-arithmetic.rules';
import { ReportSourcesService } from './report-sources.service';
import { budgetTable, hourBudgetTable, readableBudgetTable, readableSpendTable, readableStatisticsTable, spendTable, statisticsTable, supplierPerformanceTable, supplierQualityTable, type SpendBreakdown } from './reports.export';
import { spendReport, type SpendReport } from './spend.rules';
import { supplierPerformance, type SupplierPerformanceReport } from './supplier-performance.rules';
import { Clock } from '../common/time/clock';
import { HourBudgetsService } from '../refunds/hour-budgets.service';
import { budgetGuaranteeLimitOre } from '../refunds/full-time-persons.rules';
import { RulesService } from '../rules/rules.service';
import { hourBudgetReport, type HourBudgetReport } from './hour-budget.rules';
import { supplierQuality, type SupplierQualityReport } from './supplier-quality.rules';
import { statisticsReport, type StatisticsReport } from './statistics.rules';
import { investmentCase, type InvestmentCase } from './investment-case.rules';
import { benefitRatesOn, type BenefitKind } from '../rules/benefit-rates';

/** The investment case's inputs: the year, and what the user entered for "what if" (øre, whole months). */
export interface InvestmentCaseQuery {
  year: number;
  benefit?: BenefitKind;
  monthlyBenefitOre?: number;
  monthsOnBenefit?: number;
  costPerCitizenOre?: number;
}

/** The year's spending on mentor support against the budget-guarantee limit (LAB § 203 a), from 2026. */
export interface BudgetGuaranteeReport {
  year: number;
  /** The figure per full-time person of the rule set in force on 1 January; null when no limit applies. */
  orePerFullTimePerson: number | null;
  legalBasis: string | null;
  /** Hundredths of full-time persons; null when none are entered. */
  fullTimePersonsHundredths: number | null;
  fullTimePersonsSource: 'entered' | 'imported' | null;
  limitOre: number | null;
  /** Approved mentor expenses excl. VAT dated in the year (credits deducted). */
  spentOre: number;
  leftOre: number | null;
  spentPercentOfLimit: number | null;
}

export type ReportName = 'budget' | 'spend' | 'supplier-performance' | 'hour-budget' | 'supplier-quality' | 'statistics';
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
    private readonly hourBudgets: HourBudgetsService,
    private readonly rules: RulesService,
  ) {}

  /** Hours budgeted, granted and delivered per mentor type and supplier, the average granted hours a week, and the grants for review. */
  async hourBudget(year: number): Promise<HourBudgetReport> {
    const { from, to } = yearPeriod(year);
    const [budgets, suppliers] = await Promise.all([this.hourBudgets.budgetsOfYear(year), this.sources.suppliers()]);
    const { grants, deliveries } = await this.snapshot(async (manager) => ({
      grants: await this.sources.grantsMeeting(manager, from, to),
      deliveries: await this.sources.approvedDeliveries(manager, from, to),
    }));
    return hourBudgetReport({
      year,
      budgets,
      grants: grants.map((g) => ({ reference: g.reference, supplierId: g.supplierId, mentorType: g.mentorType, minutesPerWeek: g.minutesPerWeek, start: g.start, end: g.endedOn ?? g.end })),
      deliveries: deliveries.map((d) => ({ supplierId: d.supplierId, mentorType: d.mentorType, minutes: d.minutes })),
      suppliers,
    });
  }

  /** The year's mentor spending against the budget-guarantee limit: full-time persons × the figure per person in force on 1 January. */
  async budgetGuarantee(year: number): Promise<BudgetGuaranteeReport> {
    const { from, to } = yearPeriod(year);
    const limit = (await this.rules.valuesInForce(from)).budgetGuaranteeLimit ?? null;
    const persons = await this.hourBudgets.fullTimePersons(year);
    const deliveries = await this.snapshot((manager) => this.sources.approvedDeliveries(manager, from, to));
    const spentOre = sumOre(deliveries.map((d) => d.approvedOre));
    const limitOre = limit === null || persons === null ? null : budgetGuaranteeLimitOre(persons.hundredths, limit.orePerFullTimePerson);
    return {
      year,
      orePerFullTimePerson: limit?.orePerFullTimePerson ?? null,
      legalBasis: limit?.legalBasis ?? null,
      fullTimePersonsHundredths: persons?.hundredths ?? null,
      fullTimePersonsSource: persons?.source ?? null,
      limitOre,
      spentOre,
      leftOre: limitOre === null ? null : limitOre - spentOre,
      spentPercentOfLimit: limitOre === null || limitOre === 0 ? null : percentOneDecimal(spentOre, limitOre),
    };
  }

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
      silentGrants: await this.sources.silentGrants(manager, from, minDate(today, to)),
    }));
    return supplierPerformance({
      year,
      today,
      grants: loaded.grants.map((g) => ({ supplierId: g.supplierId, minutesPerWeek: g.minutesPerWeek, start: g.start, end: g.endedOn ?? g.end })),
      deliveries: loaded.deliveries.map((d) => ({ supplierId: d.supplierId, date: d.date, minutes: d.minutes })),
      invoices: loaded.invoices,
      missedContacts: loaded.missedContacts,
      silentGrants: loaded.silentGrants,
      suppliers,
    });
  }

  /** Late progress reports, findings per 100 invoiced hours and the share of hours approved, per supplier and year with a trend per quarter. */
  async supplierQuality(year: number): Promise<SupplierQualityReport> {
    const { from, to } = yearPeriod(year);
    const suppliers = await this.sources.suppliers();
    const loaded = await this.snapshot(async (manager) => ({
      invoices: await this.sources.invoiceQuality(manager, from, to),
      reports: await this.sources.progressReports(manager, from, to),
    }));
    return supplierQuality({ year, ...loaded, suppliers });
  }

  /** The course statistics of the year: starts, durations, outcomes, extensions, mentor changes, time per citizen and the breakdowns. */
  async statistics(year: number): Promise<StatisticsReport> {
    const today = this.today();
    const { from, to } = yearPeriod(year);
    const suppliers = await this.sources.suppliers();
    const loaded = await this.snapshot(async (manager) => {
      const grants = await this.sources.statisticsGrants(manager, to);
      return {
        grants,
        mentorChanges: await this.sources.mentorChanges(manager, from, to),
        birthDates: await this.sources.birthDates(manager, [...new Set(grants.filter((g) => (g.endedOn ?? g.end) >= from).map((g) => g.citizenId))]),
        periods: await this.sources.holisticPeriods(manager, to),
      };
    });
    return statisticsReport({
      year,
      grants: loaded.grants,
      mentorChanges: loaded.mentorChanges,
      birthDates: loaded.birthDates,
      suppliers,
      sevenMonthStatus: holisticStatusFigure(year, loaded.periods, today),
    });
  }

  /**
   * The investment case (003) of the year: the portal's cost per citizen by mentor type against the months of
   * benefit a course must save to break even; the benefit rate from the dated rule data unless entered.
   */
  async investmentCase(query: InvestmentCaseQuery): Promise<InvestmentCase> {
    const spend = await this.spend(query.year);
    const rates = benefitRatesOn(`${query.year}-01-01`);
    const benefit = query.benefit ?? 'cash_benefit';
    const entered = query.monthlyBenefitOre ?? null;
    return investmentCase({
      year: query.year,
      benefit,
      monthlyBenefitOre: entered ?? rates?.monthlyOre[benefit] ?? 0,
      monthlyBenefitSource: entered === null ? 'rule_data' : 'entered',
      monthlyBenefitExample: entered === null && (rates?.example ?? false),
      monthsOnBenefitAtStart: query.monthsOnBenefit ?? 12,
      byMentorType: spend.byMentorType.map((r) => ({ mentorType: r.mentorType, amountOre: r.amountOre, citizens: r.citizens })),
      enteredCostPerCitizenOre: query.costPerCitizenOre ?? null,
    });
  }

  /**
   * Status seven months after the start of the first holistic mentor course (Copenhagen 000): the citizens whose
   * first approved holistic period started in the year, by where they stood seven months later.
   */
  async holisticStatus(year: number): Promise<HolisticStatusFigure> {
    const today = this.today();
    const periods = await this.snapshot((manager) => this.sources.holisticPeriods(manager, yearPeriod(year).to));
    return holisticStatusFigure(year, periods, today);
  }

  /**
   * A report as a CSV (';', UTF-8 with BOM) or XLSX file: budget and spend for people by default (headers and
   * labels in the language, kroner as numbers, the period and a totals row), the machine table when `raw`.
   * Supplier performance, supplier quality and the hour budget are the machine table only.
   */
  async export(report: ReportName, year: number, format: ExportFormat, shape: ExportShape & { by?: SpendBreakdown } = { raw: true, lang: 'da' }): Promise<ReportFile> {
    const contentType = CONTENT_TYPES[format];
    if (!shape.raw && (report === 'budget' || report === 'spend' || report === 'statistics')) {
      const t = (key: string, params: Record<string, unknown> = {}) => translate(this.catalogues, shape.lang, key, params);
      const table =
        report === 'budget'
          ? readableBudgetTable(await this.budget(year), t, shape.lang)
          : report === 'statistics'
            ? readableStatisticsTable(await this.statistics(year), t, shape.lang)
            : readableSpendTable(await this.spend(year), shape.by ?? 'mentor_type', t, shape.lang);
      return { filename: `${report}-${year}.${format}`, contentType, body: format === 'csv' ? Buffer.from(toReadableCsv(table), 'utf8') : await toReadableXlsx(table) };
    }
    const table = await this.table(report, year);
    return { filename: `${report}-${year}.${format}`, contentType, body: format === 'csv' ? Buffer.from(toCsv(table), 'utf8') : await toXlsx(table) };
  }

  private async table(report: ReportName, year: number): Promise<Table> {
    if (report === 'budget') return budgetTable(await this.budget(year));
    if (report === 'spend') return spendTable(await this.spend(year));
    if (report === 'statistics') return statisticsTable(await this.statistics(year));
    if (report === 'hour-budget') return hourBudgetTable(await this.hourBudget(year));
    if (report === 'supplier-quality') return supplierQualityTable(await this.supplierQuality(year));
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
