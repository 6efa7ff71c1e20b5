import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { CommonErrorCode } from '../common/errors/common.errors';
import { DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { financeErrorText, type Translate } from '../common/web/finance-view';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { Clock } from '../common/time/clock';
import { ImportFullTimePersonsDto, PutFullTimePersonsDto, SetHourBudgetDto } from '../refunds/hour-budgets.controller';
import { parseFullTimePersons } from '../refunds/full-time-persons.rules';
import { HourBudgetsService } from '../refunds/hour-budgets.service';
import { MENTOR_TYPES, type MentorType } from '../rules/rule-set';
import { budgetGuaranteeView, hourBudgetView, minutesFromHours } from './hour-budget-pages.view';
import { ReportsService } from './reports.service';
import { ReportSourcesService } from './report-sources.service';

type Form = Record<string, unknown>;
const text = (body: Form | undefined, key: string): string => (typeof body?.[key] === 'string' ? (body[key] as string) : '');

const NOTICES: Record<string, string> = { saved: 'finance.notice.hour_budget_saved', persons_saved: 'finance.notice.full_time_persons_saved', imported: 'finance.notice.full_time_persons_imported' };

/**
 * Finance's hour budget (004) with the grants for review, and the budget-guarantee limit (LAB § 203 a) with
 * the full-time persons entered or imported: each a page with its form, the hour budget with its exports.
 */
@ApiExcludeController()
@Controller()
export class HourBudgetPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly reports: ReportsService,
    private readonly budgets: HourBudgetsService,
    private readonly sources: ReportSourcesService,
    private readonly clock: Clock,
  ) {}

  @Get('finance/hour-budget')
  @Roles('finance', 'admin')
  async hourBudget(@Req() request: Request, @Res() response: Response, @Query('year') yearText?: string, @Query('notice') notice?: string): Promise<void> {
    await this.renderHourBudget(request, response, this.yearOf(yearText), { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('finance/hour-budget/:year')
  @Roles('finance')
  async setHourBudget(@Req() request: Request, @Res() response: Response, @Param('year') yearText: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = { mentorType: text(body, 'mentorType'), supplierId: text(body, 'supplierId'), hours: text(body, 'hours'), note: text(body, 'note') };
    const year = this.yearOf(yearText);
    try {
      const minutes = minutesFromHours(values.hours);
      if (minutes === null) throw DomainException.rule('The hours are not valid', [{ field: 'hours', rule: CommonErrorCode.Type, message: 'hours must be a number of hours with at most one decimal' }]);
      const form = await parseForm(SetHourBudgetDto, { mentorType: values.mentorType, supplierId: values.supplierId === '' ? null : values.supplierId, minutes, note: values.note === '' ? undefined : values.note });
      await this.budgets.setBudget(year, form.mentorType, form.supplierId, form.minutes, form.note ?? null, actor);
      response.redirect(303, `/finance/hour-budget?year=${year}&notice=saved`);
    } catch (error) {
      const errorBody = this.pageError(error, pageContext(request).lang);
      await this.renderHourBudget(request, response, year, { values, error: errorBody }, errorBody.statusCode);
    }
  }

  @Get('finance/budget-guarantee')
  @Roles('finance', 'admin')
  async budgetGuarantee(@Req() request: Request, @Res() response: Response, @Query('year') yearText?: string, @Query('notice') notice?: string): Promise<void> {
    await this.renderGuarantee(request, response, this.yearOf(yearText), { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('finance/budget-guarantee/:year')
  @Roles('finance')
  async putPersons(@Req() request: Request, @Res() response: Response, @Param('year') yearText: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = { fullTimePersons: text(body, 'fullTimePersons') };
    const year = this.yearOf(yearText);
    try {
      const form = await parseForm(PutFullTimePersonsDto, values);
      await this.budgets.putFullTimePersons(year, parseFullTimePersons(form.fullTimePersons) as number, actor);
      response.redirect(303, `/finance/budget-guarantee?year=${year}&notice=persons_saved`);
    } catch (error) {
      const errorBody = this.pageError(error, pageContext(request).lang);
      await this.renderGuarantee(request, response, year, { values, error: errorBody }, errorBody.statusCode);
    }
  }

  @Post('finance/budget-guarantee-import')
  @Roles('finance')
  async importPersons(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = { csv: text(body, 'csv') };
    const year = this.yearOf(text(body, 'year'));
    try {
      const form = await parseForm(ImportFullTimePersonsDto, values);
      await this.budgets.importFullTimePersons(form.csv, actor);
      response.redirect(303, `/finance/budget-guarantee?year=${year}&notice=imported`);
    } catch (error) {
      const errorBody = this.pageError(error, pageContext(request).lang);
      await this.renderGuarantee(request, response, year, { importValues: values, importError: errorBody }, errorBody.statusCode);
    }
  }

  // ---- rendering ----

  private yearOf(yearText: string | undefined): number {
    const thisYear = Number(this.clock.today().slice(0, 4));
    return typeof yearText === 'string' && /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= 2100 ? Number(yearText) : thisYear;
  }

  private t(lang: Language): Translate {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  private pageError(error: unknown, lang: Language): ErrorBody & { fields: string[] } {
    if (!isRefusal(error)) throw error;
    const body = localizedErrorBody(error, this.catalogues, lang, financeErrorText('budget', this.t(lang)));
    // The localized details name fields by their labels; the form needs their names, in the same order.
    const fields = error instanceof DomainException ? error.details.map((detail) => detail.field ?? '') : [];
    return { ...body, fields };
  }

  private async renderHourBudget(request: Request, response: Response, year: number, extra: { values?: Record<string, string>; error?: ErrorBody; notice?: string }, status = 200): Promise<void> {
    const context = pageContext(request);
    const [report, suppliers] = await Promise.all([this.reports.hourBudget(year), this.sources.suppliers()]);
    const values = extra.values ?? { mentorType: 'retention', supplierId: '', hours: '', note: '' };
    response.status(status).render('pages/finance/hour-budget', {
      ...context,
      title: 'finance.hour_budget_heading',
      year,
      previousYear: year - 1,
      nextYear: year + 1,
      notice: extra.notice,
      canAct: context.user?.role === 'finance',
      report: hourBudgetView(report, context.lang),
      mentorTypes: MENTOR_TYPES.map((type: MentorType) => ({ value: type, selected: type === values.mentorType })),
      suppliers: suppliers.map((s) => ({ id: s.id, name: s.name, selected: s.id === values.supplierId })),
      values,
      error: extra.error,
      fieldErrors: fieldErrors(extra.error),
    });
  }

  private async renderGuarantee(
    request: Request,
    response: Response,
    year: number,
    extra: { values?: Record<string, string>; error?: ErrorBody; importValues?: Record<string, string>; importError?: ErrorBody; notice?: string },
    status = 200,
  ): Promise<void> {
    const context = pageContext(request);
    const report = await this.reports.budgetGuarantee(year);
    const view = budgetGuaranteeView(report, context.lang);
    response.status(status).render('pages/finance/budget-guarantee', {
      ...context,
      title: 'finance.guarantee_heading',
      year,
      previousYear: year - 1,
      nextYear: year + 1,
      notice: extra.notice,
      canAct: context.user?.role === 'finance',
      guarantee: view,
      values: extra.values ?? { fullTimePersons: view.fullTimePersons ?? '' },
      error: extra.error,
      fieldErrors: fieldErrors(extra.error),
      importValues: extra.importValues ?? { csv: '' },
      importError: extra.importError,
    });
  }
}

/** The error's messages by field, to show beside each field (aria-invalid, aria-describedby). */
function fieldErrors(error: (ErrorBody & { fields?: string[] }) | undefined): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  (error?.details ?? []).forEach((detail, i) => {
    const name = error?.fields?.[i] ?? '';
    if (name === '') return;
    const field = name === 'minutes' ? 'hours' : name;
    (byField[field] ??= []).push(detail.message);
  });
  return byField;
}
