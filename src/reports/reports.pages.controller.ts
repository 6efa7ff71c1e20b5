import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../common/auth/auth.decorators';
import { isRefusal, localizedErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { type CalendarMonth } from '../common/time/calendar-date';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { FIRST_REPORT_YEAR, LAST_REPORT_YEAR, ReportYearQueryDto } from './reports.dto';
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
    private readonly clock: Clock,
  ) {}

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

  // ---- rendering ----

  private t(lang: Language): Translate {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  /** Reads ?year= (this year when absent) with the API's rule; a bad year is shown on the page as a 422, without a report. */
  private async renderReport(request: Request, response: Response, view: string, title: string, yearText: unknown, load: (year: number) => Promise<Record<string, unknown>>): Promise<void> {
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
    response.status(error ? error.statusCode : 200).render(view, {
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
