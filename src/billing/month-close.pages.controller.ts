import { listView, pageRequest, searchText } from '../common/web/list-query';
import { STATEMENT_SORTS } from './statement.store';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StartBillingRunDto, StatementQueryDto } from './billing.dto';
import { billingMonthProblems } from './billing-run.rules';
import { STATEMENT_STATUSES } from './statement.rules';
import { BillingErrorCode } from './billing.errors';
import { BillingRunsService } from './billing-runs.service';
import { StatementsService, type StatementSummaryDto } from './statements.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { addMonths, firstDayOfMonth, lastDayOfMonth, monthOf, type CalendarDate } from '../common/time/calendar-date';
import { formatKroner } from '../common/web/format';
import { InvoicesService } from '../invoices/invoices.service';
import type { InvoiceDto } from '../invoices/invoices.dto';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { financeErrorText, type FinanceAction, type Translate } from '../common/web/finance-view';
import { billingRunView, statementViews } from './month-close-pages.view';
import { Clock } from '../common/time/clock';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  started: 'finance.notice.run_started',
  running: 'finance.notice.run_running',
};

/** Seconds between reloads of a run's page when scripts are off. */
const REFRESH_SECONDS = 3;
const STATEMENT_LIMIT = 50;
/** At most this many waiting invoices are listed before a month is made final. */
const PENDING_LIMIT = 100;

/**
 * Month close (månedsafregning) for finance: start a billing run or make an ended month final, follow a
 * run's progress, and list the statements with their PDFs; a supplier's own statements.
 */
@ApiExcludeController()
@Controller()
export class MonthClosePagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly runs: BillingRunsService,
    private readonly statements: StatementsService,
    private readonly clock: Clock,
    private readonly invoices: InvoicesService,
  ) {}

  // ---- billing runs ----

  @Get('finance/billing')
  @Roles('finance', 'admin')
  async billing(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.renderBilling(request, response, { values: { month: previousMonth(this.clock.today()) } });
  }

  @Post('finance/billing')
  @Roles('finance')
  async start(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = { month: text(body, 'month'), kind: text(body, 'kind') };
    try {
      const form = await parseForm(StartBillingRunDto, values);
      // Making a month final cannot be undone: the page first says what is still waiting, and asks.
      if (form.kind === 'finalise' && billingMonthProblems(form.month, this.clock.today(), 'finalise').length === 0) {
        const pending = await this.invoices.awaitingApprovalIn(firstDayOfMonth(form.month), lastDayOfMonth(form.month), PENDING_LIMIT);
        const confirmed = text(body, 'confirmed') === 'yes';
        const deferred = text(body, 'deferPending') === 'yes';
        if (!confirmed || (pending.length > 0 && !deferred)) {
          await this.renderFinaliseConfirmation(request, response, form.month, pending, confirmed && !deferred);
          return;
        }
      }
      const { created, run } = await this.runs.start(form.month, form.kind ?? 'build', actor);
      response.redirect(303, `/finance/billing/runs/${run.id}?notice=${created ? 'started' : 'running'}`);
    } catch (error) {
      const errorBody = this.pageError(error, 'billing', pageContext(request).lang);
      await this.renderBilling(request, response, { values, error: errorBody }, errorBody.statusCode);
    }
  }

  @Get('finance/billing/runs/:id')
  @Roles('finance', 'admin')
  async run(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Query('notice') notice?: string): Promise<void> {
    const context = pageContext(request);
    const run = billingRunView(await this.runs.get(id));
    const today = this.clock.today();
    const canFinalise = context.user?.role === 'finance' && run.kind === 'build' && run.status === 'completed' && billingMonthProblems(run.month, today, 'finalise').length === 0;
    response.render('pages/finance/billing-run', {
      ...context,
      title: 'finance.run_heading',
      notice: notice ? NOTICES[notice] : undefined,
      run,
      canFinalise,
      refreshSeconds: run.pending ? REFRESH_SECONDS : undefined,
    });
  }

  // ---- statements ----

  @Get('finance/statements')
  @Roles('finance', 'admin')
  async financeStatements(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>, @Scope() scope: AccessScope): Promise<void> {
    await this.renderStatements(request, response, query, scope, 'pages/finance/statements');
  }

  @Get('supplier/statements')
  @Roles('supplier')
  async supplierStatements(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>, @Scope() scope: AccessScope): Promise<void> {
    await this.renderStatements(request, response, query, scope, 'pages/supplier/statements');
  }

  // ---- rendering ----

  private t(lang: Language): Translate {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  /** A domain error in the error shape, localized; anything else is not the page's to show. */
  private pageError(error: unknown, action: FinanceAction, lang: Language): ErrorBody {
    if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
    return localizedErrorBody(error, this.catalogues, lang, financeErrorText(action, this.t(lang)));
  }

  /**
   * The confirmation before a month is made final: the consequence, and the invoices of the month still waiting
   * for a first or second approval. With any waiting, the user must tick that they go to next month;
   * `refused` marks a confirmation sent without that tick (422, beside the box).
   */
  private async renderFinaliseConfirmation(request: Request, response: Response, month: string, pending: InvoiceDto[], refused: boolean): Promise<void> {
    const context = pageContext(request);
    const t = this.t(context.lang);
    const message = t(`error.${BillingErrorCode.DeferPending}`);
    response.status(refused ? 422 : 200).render('pages/finance/billing-finalise', {
      ...context,
      title: 'finance.finalise_confirm.heading',
      month,
      pending: pending.map((invoice) => ({
        id: invoice.id,
        invoiceNumber: invoice.invoiceNumber,
        supplierName: invoice.supplierName,
        period: `${invoice.periodFrom} – ${invoice.periodTo}`,
        total: formatKroner(invoice.totalOre, context.lang),
        waitingFor: t(invoice.firstApprovalGiven ? 'finance.finalise_confirm.second_approval' : 'finance.finalise_confirm.first_approval'),
      })),
      limited: pending.length === PENDING_LIMIT,
      error: refused ? { statusCode: 422, error: 'Unprocessable Entity', message: t('finance.finalise_confirm.refused'), details: [{ field: t('finance.finalise_confirm.defer_label', { next: nextMonth(month) }), message, href: '#defer-pending', rule: BillingErrorCode.DeferPending }] } : undefined,
      fieldErrors: refused ? { deferPending: [message] } : {},
      nextMonth: nextMonth(month),
    });
  }

  private async renderBilling(request: Request, response: Response, extra: { values: Record<string, string>; error?: ErrorBody }, status = 200): Promise<void> {
    const context = pageContext(request);
    const runs = await this.runs.list();
    response.status(status).render('pages/finance/billing', {
      ...context,
      title: 'finance.billing_heading',
      canStart: context.user?.role === 'finance',
      values: extra.values,
      error: extra.error,
      runs: runs.map((run) => billingRunView(run)),
    });
  }

  /** The statements a scope may see, filtered by month and status; a bad filter is shown on the page as a 422. */
  private async renderStatements(request: Request, response: Response, query: Record<string, unknown>, scope: AccessScope, view: string): Promise<void> {
    const lang = pageContext(request).lang;
    const filters = { month: typeof query.month === 'string' ? query.month.trim() : '', status: typeof query.status === 'string' ? query.status : '' };
    const q = searchText(query.q);
    const wanted = pageRequest(query, STATEMENT_SORTS, { limit: STATEMENT_LIMIT });
    let error: ErrorBody | undefined;
    let statements: StatementSummaryDto[] = [];
    let page = { nextCursor: null as string | null, prevCursor: null as string | null };
    try {
      const filter = await parseForm(StatementQueryDto, filters);
      const found = await this.statements.page({ month: filter.month, status: filter.status }, q, wanted, scope);
      statements = found.items;
      page = found;
    } catch (caught) {
      error = this.pageError(caught, 'statements', lang);
    }
    response.status(error ? error.statusCode : 200).render(view, {
      ...pageContext(request),
      title: scope.isSupplier ? 'finance.supplier_statements_heading' : 'finance.statements_heading',
      error,
      filters,
      statusOptions: STATEMENT_STATUSES.map((value) => ({ value, selected: filters.status === value })),
      statements: statementViews(statements, lang),
      list: listView(scope.isSupplier ? '/supplier/statements' : '/finance/statements', wanted, STATEMENT_SORTS, page, q, filters),
    });
  }
}

/** The month after `month`: where invoices still waiting are billed once approved. */
function nextMonth(month: string): string {
  return monthOf(addMonths(firstDayOfMonth(month), 1));
}

/** The month before this one: the one usually closed. */
function previousMonth(today: CalendarDate): string {
  return monthOf(addMonths(firstDayOfMonth(monthOf(today)), -1));
}

function text(body: Form | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}
