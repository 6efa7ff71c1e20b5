import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { isRefusal, localizedErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { type CalendarMonth } from '../common/time/calendar-date';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { FIRST_REPORT_YEAR, InvestmentCaseQueryDto, LAST_REPORT_YEAR, ReportYearQueryDto } from './reports.dto';
import { toInvestmentQuery } from './reports.controller';
import { countChartSvg } from './statistics-chart';
import { comparisonView, investmentView, statisticsView } from './statistics-pages.view';
import { ComparisonsService } from './comparisons.service';
import { BENEFIT_KINDS } from '../rules/benefit-rates';
import { DomainException } from '../common/errors/domain.exception';
import { ReportsService } from './reports.service';
import { budgetChartSvg } from './budget-chart';
import { financeErrorText, formatWholeKroner, type Translate } from '../common/web/finance-view';
import { budgetMonthRows, budgetSummaryView, performanceView, spendView } from './report-pages.view';
import { Clock } from '../common/time/clock';
import { qualityView } from './supplier-quality.view';

/**
 * The report pages: finance's budget follow-up (a month-by-month chart drawn on the server, with its numbers
 * in a table), the spend report, and procurement's supplier performance; each links its CSV and XLSX export.
 */
@ApiExcludeController()
@Controller()
export class ReportsPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly reports: ReportsService,
    private readonly comparisons: ComparisonsService,
    private readonly clock: Clock,
  ) {}

  @Get('finance/comparison')
  @Roles('finance', 'admin', 'procurement')
  async comparison(@Req() request: Request, @Res() response: Response, @Query('year') yearText?: string, @Query('notice') notice?: string): Promise<void> {
    await this.renderComparison(request, response, yearText, { notice: notice === 'imported' ? 'comparison.notice_imported' : undefined });
  }

  @Post('finance/comparison-import')
  @Roles('finance')
  async importComparison(@Req() request: Request, @Res() response: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor): Promise<void> {
    const csv = typeof body?.csv === 'string' ? body.csv : '';
    const year = typeof body?.year === 'string' && /^\d{4}$/.test(body.year) ? body.year : this.clock.today().slice(0, 4);
    try {
      await this.comparisons.import(csv, actor);
      response.redirect(303, `/finance/comparison?year=${year}&notice=imported`);
    } catch (caught) {
      if (!isRefusal(caught)) throw caught;
      const lang = pageContext(request).lang;
      const importError = localizedErrorBody(caught, this.catalogues, lang, financeErrorText('report', this.t(lang)));
      await this.renderComparison(request, response, year, { importValues: { csv }, importError }, importError.statusCode);
    }
  }

  private async renderComparison(request: Request, response: Response, yearText: unknown, extra: Record<string, unknown>, status = 200): Promise<void> {
    const context = pageContext(request);
    const t = this.t(context.lang);
    await this.renderReport(
      request,
      response,
      'pages/finance/comparison',
      'comparison.heading',
      yearText,
      async (year) => {
        const result = await this.comparisons.comparison(year);
        const view = comparisonView(result, t, context.lang);
        return {
          comparison: result,
          comparisonView: view,
          canImport: context.user?.role === 'finance',
          shareChart: view.bars.length === 0 ? null : countChartSvg('cmp-share', view.bars, t('comparison.chart_share', { year }), t('comparison.chart_share_desc', { year })),
          ...extra,
        };
      },
      status,
    );
  }

  @Get('finance/budget')
  @Roles('finance', 'admin')
  async budget(@Req() request: Request, @Res() response: Response, @Query('year') yearText?: unknown): Promise<void> {
    const lang = pageContext(request).lang;
    const t = this.t(lang);
    await this.renderReport(request, response, 'pages/finance/budget', 'finance.budget_heading', yearText, async (year) => {
      const report = await this.reports.budget(year);
      const monthLabel = (month: CalendarMonth) => t(`finance.month_short.${Number(month.slice(5, 7))}`);
      const summary = budgetSummaryView(report, lang);
      const chartSvg = budgetChartSvg({
        months: report.months,
        budgetOre: report.budgetOre,
        title: t('finance.chart.title', { year }),
        description: t(report.budgetOre === null ? 'finance.chart.desc_no_budget' : 'finance.chart.desc', { year, spent: summary.spent, forecast: summary.forecast, budget: summary.budget ?? '' }),
        monthLabel,
        money: (ore) => formatWholeKroner(ore, lang),
        barTitle: (month, spent, forecast) => t('finance.chart.bar', { month: monthLabel(month), spent: formatWholeKroner(spent, lang), forecast: formatWholeKroner(forecast, lang) }),
        budgetLabel: (ore) => t('finance.chart.budget_line', { budget: formatWholeKroner(ore, lang) }),
      });
      return { today: report.today, summary, chartSvg, months: budgetMonthRows(report, lang, monthLabel) };
    });
  }

  @Get('finance/spend')
  @Roles('finance', 'admin', 'procurement')
  async spend(@Req() request: Request, @Res() response: Response, @Query('year') yearText?: unknown): Promise<void> {
    const lang = pageContext(request).lang;
    await this.renderReport(request, response, 'pages/finance/spend', 'finance.spend_heading', yearText, async (year) => ({
      spend: spendView(await this.reports.spend(year), lang),
      holisticStatus: await this.reports.holisticStatus(year),
    }));
  }

  @Get('procurement/performance')
  @Roles('procurement', 'admin', 'finance')
  async performance(@Req() request: Request, @Res() response: Response, @Query('year') yearText?: unknown): Promise<void> {
    const lang = pageContext(request).lang;
    await this.renderReport(request, response, 'pages/procurement/performance', 'finance.performance_heading', yearText, async (year) => ({
      performance: performanceView(await this.reports.supplierPerformance(year), lang),
      quality: qualityView(await this.reports.supplierQuality(year), lang),
    }));
  }

  @Get('finance/statistics')
  @Roles('finance', 'admin', 'procurement')
  async statistics(@Req() request: Request, @Res() response: Response, @Query('year') yearText?: string): Promise<void> {
    const lang = pageContext(request).lang;
    const t = this.t(lang);
    await this.renderReport(request, response, 'pages/finance/statistics', 'statistics.heading', yearText, async (year) => {
      const report = await this.reports.statistics(year);
      const monthLabel = (month: CalendarMonth) => t(`finance.month_short.${Number(month.slice(5, 7))}`);
      return {
        report,
        statisticsView: statisticsView(report, t, lang),
        startsChart: countChartSvg('stat-starts', report.startsByMonth.map((m) => ({ label: monthLabel(m.month), count: m.courses })), t('statistics.chart_starts', { year }), t('statistics.chart_starts_desc', { year, courses: report.totals.courses })),
        typeChart: countChartSvg('stat-types', report.byMentorType.map((r) => ({ label: t(`mentor_type.${r.key}`), count: r.started })), t('statistics.chart_types', { year }), t('statistics.chart_types_desc', { year, started: report.totals.started })),
        ageChart: countChartSvg('stat-ages', report.byAgeBand.map((r) => ({ label: t(`age_band.${r.key}`), count: r.started })), t('statistics.chart_ages', { year }), t('statistics.chart_ages_desc', { year })),
      };
    });
  }

  @Get('finance/investment-case')
  @Roles('finance', 'admin', 'procurement')
  async investmentCase(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const context = pageContext(request);
    const t = this.t(context.lang);
    const values = Object.fromEntries(['year', 'benefit', 'monthlyBenefit', 'monthsOnBenefit', 'costPerCitizen'].map((k) => [k, typeof query[k] === 'string' ? (query[k] as string).trim() : '']));
    if (values.year === '') values.year = this.clock.today().slice(0, 4);
    let error: (ErrorBody & { fields?: string[] }) | undefined;
    let model: Record<string, unknown> = {};
    try {
      const parsed = await parseForm(InvestmentCaseQueryDto, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
      const result = await this.reports.investmentCase(toInvestmentQuery(parsed));
      model = { result: investmentView(result, context.lang, t) };
    } catch (caught) {
      if (!isRefusal(caught)) throw caught;
      error = { ...localizedErrorBody(caught, this.catalogues, context.lang, financeErrorText('report', t)), fields: caught instanceof DomainException ? caught.details.map((d) => d.field ?? '') : [] };
    }
    const fieldErrors: Record<string, string[]> = {};
    (error?.details ?? []).forEach((detail, i) => {
      const name = error?.fields?.[i] ?? '';
      if (name) (fieldErrors[name] ??= []).push(detail.message);
    });
    response.status(error ? error.statusCode : 200).render('pages/finance/investment-case', {
      ...context,
      title: 'investment.heading',
      values,
      benefits: BENEFIT_KINDS.map((kind) => ({ value: kind, selected: kind === (values.benefit || 'cash_benefit') })),
      error,
      fieldErrors,
      ...model,
    });
  }

  // ---- rendering ----

  private t(lang: Language): Translate {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  /** Reads ?year= (this year when absent) with the API's rule; a bad year is shown on the page as a 422, without a report. */
  private async renderReport(request: Request, response: Response, view: string, title: string, yearText: unknown, load: (year: number) => Promise<Record<string, unknown>>, status = 200): Promise<void> {
    const context = pageContext(request);
    const thisYear = Number(this.clock.today().slice(0, 4));
    const raw = yearText === undefined ? String(thisYear) : typeof yearText === 'string' ? yearText.trim() : '';
    let error: ErrorBody | undefined;
    let model: Record<string, unknown> = {};
    let year = thisYear;
    try {
      year = (await parseForm(ReportYearQueryDto, { year: raw })).year;
      model = await load(year);
    } catch (caught) {
      if (!isRefusal(caught)) throw caught;
      error = localizedErrorBody(caught, this.catalogues, context.lang, financeErrorText('report', this.t(context.lang)));
    }
    const shown = error ? thisYear : year;
    response.status(error ? error.statusCode : status).render(view, {
      ...context,
      title,
      error,
      yearValue: raw,
      year: error ? null : year,
      previousYear: shown - 1 >= FIRST_REPORT_YEAR ? shown - 1 : null,
      nextYear: shown + 1 <= LAST_REPORT_YEAR ? shown + 1 : null,
      ...model,
    });
  }
}
