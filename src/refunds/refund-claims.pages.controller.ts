import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { addMonths, firstDayOfMonth, lastDayOfMonth, monthOf, type CalendarDate } from '../common/time/calendar-date';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { PutBudgetYearDto } from './budget-years.controller';
import { BudgetYearsService } from './budget-years.service';
import { RefundClaimsService } from './refund-claims.service';
import { RequestRefundClaimDto } from './refunds.controller';
import { financeErrorText, type FinanceAction, type Translate } from '../common/web/finance-view';
import { budgetBodyFromForm, budgetYearOf, kronerField, refundClaimDetailView, refundClaimSummaryView } from './refund-pages.view';
import { Clock } from '../common/time/clock';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  requested: 'finance.notice.claim_requested',
  submitted: 'finance.notice.claim_submitted',
  budget_saved: 'finance.notice.budget_saved',
};

const REFRESH_SECONDS = 3;

/** A claim's lines on one page; more are reached with ?offset=. */
const LINES_PER_PAGE = 200;

interface BudgetFormState {
  year: number;
  values: Record<string, string>;
  error?: ErrorBody;
}

/**
 * Refund claims (refusionsanmodninger) for finance: build a claim for a period in a job, read it by refund
 * category, export it, submit it; and the years' budgets and refund frames the claims are capped by.
 */
@ApiExcludeController()
@Controller()
export class RefundClaimsPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly claims: RefundClaimsService,
    private readonly budgets: BudgetYearsService,
    private readonly clock: Clock,
  ) {}

  @Get('finance/refund-claims')
  @Roles('finance', 'admin')
  async list(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): Promise<void> {
    await this.renderList(request, response, { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('finance/refund-claims')
  @Roles('finance')
  async request(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = { from: text(body, 'from'), to: text(body, 'to') };
    try {
      const form = await parseForm(RequestRefundClaimDto, values);
      const claim = await this.claims.request(form.from, form.to, actor);
      response.redirect(303, `/finance/refund-claims/${claim.id}?notice=requested`);
    } catch (error) {
      const errorBody = this.pageError(error, 'claim', pageContext(request).lang);
      await this.renderList(request, response, { values, error: errorBody }, errorBody.statusCode);
    }
  }

  @Get('finance/refund-claims/:id')
  @Roles('finance', 'admin')
  async claim(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Query('notice') notice?: string, @Query('offset') offset?: string): Promise<void> {
    await this.renderClaim(request, response, id, { notice: notice ? NOTICES[notice] : undefined, offset: offset && /^\d{1,6}$/.test(offset) ? Number(offset) : 0 });
  }

  @Post('finance/refund-claims/:id/submit')
  @Roles('finance')
  async submit(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor, @Body() body: Form): Promise<void> {
    try {
      // A submitted claim is frozen: the page first shows what is claimed and what is left of the frame, and asks.
      if (text(body, 'confirmed') !== 'yes' && (await this.renderSubmitConfirmation(request, response, id))) return;
      await this.claims.submit(id, actor);
      response.redirect(303, `/finance/refund-claims/${id}?notice=submitted`);
    } catch (error) {
      const errorBody = this.pageError(error, 'submit', pageContext(request).lang);
      await this.renderClaim(request, response, id, { submitError: errorBody }, errorBody.statusCode);
    }
  }

  /** The budget form of one year: PUT /api/v1/budgets/:year from a page. */
  @Post('finance/budgets/:year')
  @Roles('finance')
  async saveBudget(@Req() request: Request, @Res() response: Response, @Param('year') yearText: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = { budget: text(body, 'budget'), frame: text(body, 'frame'), note: text(body, 'note') };
    try {
      const year = budgetYearOf(yearText);
      const form = await parseForm(PutBudgetYearDto, budgetBodyFromForm(body ?? {}));
      await this.budgets.put(year, { budgetOre: form.budgetOre, frameOre: form.frameOre, note: form.note ?? null }, actor);
      response.redirect(303, `/finance/refund-claims?notice=budget_saved#budget-${year}`);
    } catch (error) {
      const errorBody = this.pageError(error, 'budget', pageContext(request).lang);
      // An error of a year's form shows at that form; a year out of range has no form, so its error heads the section.
      const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
      const ofForm = year >= 2000 && year <= 2100;
      await this.renderList(request, response, { budgetForm: ofForm ? { year, values, error: errorBody } : undefined, budgetError: ofForm ? undefined : errorBody }, errorBody.statusCode);
    }
  }

  // ---- rendering ----

  private t(lang: Language): Translate {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  private pageError(error: unknown, action: FinanceAction, lang: Language): ErrorBody {
    if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
    return localizedErrorBody(error, this.catalogues, lang, financeErrorText(action, this.t(lang)));
  }

  private async renderList(request: Request, response: Response, extra: { values?: Record<string, string>; error?: ErrorBody; notice?: string; budgetForm?: BudgetFormState; budgetError?: ErrorBody }, status = 200): Promise<void> {
    const context = pageContext(request);
    const [claims, years] = await Promise.all([this.claims.list(), this.budgets.list()]);
    const thisYear = Number(this.clock.today().slice(0, 4));
    const known = new Map(years.map((entry) => [entry.year, entry]));
    const shown = [...new Set([thisYear + 1, thisYear, ...known.keys(), ...(extra.budgetForm ? [extra.budgetForm.year] : [])])].sort((a, b) => b - a);
    response.status(status).render('pages/finance/refund-claims', {
      ...context,
      title: 'finance.claims_heading',
      notice: extra.notice,
      canAct: context.user?.role === 'finance',
      values: extra.values ?? lastMonthPeriod(this.clock.today()),
      error: extra.error,
      budgetError: extra.budgetError,
      claims: claims.map((claim) => refundClaimSummaryView(claim, context.lang)),
      budgetYears: shown.map((year) => {
        const saved = known.get(year);
        const failed = extra.budgetForm?.year === year ? extra.budgetForm : undefined;
        return {
          year,
          saved: saved !== undefined,
          updated: saved?.updatedAt.slice(0, 10) ?? null,
          values: failed?.values ?? { budget: kronerField(saved?.budgetOre ?? null), frame: kronerField(saved?.frameOre ?? null), note: saved?.note ?? '' },
          error: failed?.error,
        };
      }),
    });
  }

  /**
   * The confirmation before a claim is submitted: its period, the total claimed and each year's frame left after
   * it. False when the claim is no draft: submitting it is then refused as any second submit is.
   */
  private async renderSubmitConfirmation(request: Request, response: Response, id: string): Promise<boolean> {
    const context = pageContext(request);
    const claim = refundClaimDetailView(await this.claims.get(id, { offset: 0, limit: 1 }), context.lang);
    if (claim.status !== 'draft') return false;
    response.status(200).render('pages/finance/refund-claim-submit', { ...context, title: 'finance.submit_confirm.heading', claim });
    return true;
  }

  private async renderClaim(request: Request, response: Response, id: string, extra: { notice?: string; submitError?: ErrorBody; offset?: number }, status = 200): Promise<void> {
    const context = pageContext(request);
    const { offset = 0, ...shown } = extra;
    const claim = refundClaimDetailView(await this.claims.get(id, { offset, limit: LINES_PER_PAGE }), context.lang);
    // Queued or computing: the page follows the job and reloads itself once the claim is computed.
    const pending = claim.status === 'queued' || claim.status === 'computing';
    response.status(status).render('pages/finance/refund-claim', {
      ...context,
      title: 'finance.claim_heading',
      claim,
      pending,
      canSubmit: context.user?.role === 'finance' && claim.status === 'draft',
      refreshSeconds: pending ? REFRESH_SECONDS : undefined,
      ...shown,
    });
  }
}

/** The period a new claim suggests: last month. */
function lastMonthPeriod(today: CalendarDate): { from: string; to: string } {
  const lastMonth = monthOf(addMonths(firstDayOfMonth(monthOf(today)), -1));
  return { from: firstDayOfMonth(lastMonth), to: lastDayOfMonth(lastMonth) };
}

function text(body: Form | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}
