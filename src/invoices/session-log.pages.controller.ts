import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { addMonths, firstDayOfMonth, isValidMonth, lastDayOfMonth, monthOf, type CalendarMonth } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { GrantsService } from '../grants/grants.service';
import { uploadedFileOf, uploadErrorOf } from './invoice-upload.middleware';
import { CONTACT_FORMS } from './parsed-invoice';
import { CreateMentorSessionDto } from './session-log.dto';
import { SESSION_CSV_MAX_BYTES, WITH_WHOM } from './session-log.rules';
import { SessionLogService } from './session-log.service';

type Form = Record<string, unknown>;
type FieldErrors = Record<string, string[]>;

const NOTICES: Record<string, string> = {
  logged: 'session_log.notice.logged',
  imported: 'session_log.notice.imported',
  removed: 'session_log.notice.removed',
};

/**
 * The supplier's session log (sessionslog) page: the month's logged sessions per grant, what no invoice covers yet,
 * logging a session, a file of sessions, and removing one not yet invoiced (with a confirmation step).
 */
@ApiExcludeController()
@Controller()
export class SessionLogPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly sessionLog: SessionLogService,
    private readonly grants: GrantsService,
    private readonly clock: Clock,
  ) {}

  @Get('supplier/sessions')
  @Roles('supplier')
  async page(@Req() request: Request, @Res() response: Response, @Scope() scope: AccessScope, @Query('month') month?: string, @Query('notice') notice?: string, @Query('count') count?: string): Promise<void> {
    await this.render(request, response, scope, isValidMonth(month) ? month : monthOf(this.clock.today()), { notice: notice ? NOTICES[notice] : undefined, count: /^\d{1,5}$/.test(count ?? '') ? Number(count) : undefined });
  }

  @Post('supplier/sessions')
  @Roles('supplier')
  async log(@Req() request: Request, @Res() response: Response, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = { grantId: text(body, 'grantId'), date: text(body, 'date'), minutes: text(body, 'minutes'), contactForm: text(body, 'contactForm'), withWhom: text(body, 'withWhom') };
    const shownMonth = isValidMonth(values.date.slice(0, 7)) ? values.date.slice(0, 7) : monthOf(this.clock.today());
    try {
      const own = (await this.grants.list({ limit: 200 }, scope)).items;
      if (values.grantId && !own.some((g) => g.id === values.grantId)) {
        throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', [{ field: 'grantId', rule: 'own_active_grant', message: 'choose one of your grants' }]);
      }
      const form = await parseForm(CreateMentorSessionDto, { ...values, minutes: /^\d{1,4}$/.test(values.minutes) ? Number(values.minutes) : values.minutes });
      await this.sessionLog.log(form, scope, actor);
      response.redirect(303, `/supplier/sessions?month=${monthOf(form.date)}&notice=logged`);
    } catch (error) {
      const { body: errorBody, fieldErrors } = this.pageError(error, pageContext(request).lang);
      await this.render(request, response, scope, shownMonth, { error: errorBody, fieldErrors, values }, errorBody.statusCode);
    }
  }

  @Post('supplier/sessions/upload')
  @Roles('supplier')
  async upload(@Req() request: Request, @Res() response: Response, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const file = uploadedFileOf(request);
      if (uploadErrorOf(request) !== undefined || (file && file.size > SESSION_CSV_MAX_BYTES)) {
        throw new DomainException(DomainErrorCode.InvalidInput, 'The file is too large', [{ field: 'file', rule: 'file_too_large', message: `at most ${SESSION_CSV_MAX_BYTES} bytes`, values: { limit: SESSION_CSV_MAX_BYTES } }]);
      }
      if (!file || file.size === 0) throw new DomainException(DomainErrorCode.InvalidInput, 'Choose a file', [{ field: 'file', rule: 'file_required', message: 'choose a CSV file' }]);
      const result = await this.sessionLog.importCsv(file.buffer, scope, actor);
      const first = result.items[0]?.date;
      response.redirect(303, `/supplier/sessions?month=${first ? monthOf(first) : monthOf(this.clock.today())}&notice=imported&count=${result.created}`);
    } catch (error) {
      const { body: errorBody } = this.pageError(error, pageContext(request).lang);
      await this.render(request, response, scope, monthOf(this.clock.today()), { uploadError: errorBody }, errorBody.statusCode);
    }
  }

  /**
   * A grant's session log for staff: every logged session with the invoice that covers it, or "not invoiced".
   * No CPR and no name, only the grant's reference. A supplier is answered 404 (its log is /supplier/sessions).
   */
  @Get('grants/:id/sessions')
  @Roles('caseworker', 'team_leader', 'admin', 'finance', 'supplier')
  async grantSessions(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<void> {
    const { grant, log } = await this.sessionLog.ofGrant(id, scope);
    const context = pageContext(request);
    const role = context.user?.role;
    response.render('pages/invoices/grant-sessions', {
      ...context,
      title: 'session_log.grant_heading',
      grant,
      sessions: log.items,
      totalMinutes: log.totalMinutes,
      notInvoicedMinutes: log.notInvoicedMinutes,
      notInvoicedCount: log.items.filter((s) => !s.invoiced).length,
      // The invoice itself is on finance's page; the caseworker sees its number.
      linkInvoices: role === 'finance' || role === 'admin',
    });
  }

  @Get('supplier/sessions/:id/remove')
  @Roles('supplier')
  async confirmRemove(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<void> {
    const session = (await this.sessionLog.list({}, scope)).items.find((s) => s.id === id);
    if (!session) throw DomainException.notFound('Session');
    response.render('pages/supplier/session-remove', { ...pageContext(request), title: 'session_log.remove_heading', session, month: monthOf(session.date) });
  }

  @Post('supplier/sessions/:id/remove')
  @Roles('supplier')
  async remove(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const month = isValidMonth(text(body, 'month')) ? text(body, 'month') : monthOf(this.clock.today());
    try {
      await this.sessionLog.remove(id, scope, actor);
      response.redirect(303, `/supplier/sessions?month=${month}&notice=removed`);
    } catch (error) {
      if (error instanceof DomainException && error.code === DomainErrorCode.NotFound) throw error;
      const { body: errorBody } = this.pageError(error, pageContext(request).lang);
      await this.render(request, response, scope, month, { listError: errorBody }, errorBody.statusCode);
    }
  }

  private t(lang: Language): (key: string, params?: Record<string, unknown>) => string {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  private pageError(error: unknown, lang: Language): { body: ErrorBody; fieldErrors: FieldErrors } {
    if (!isRefusal(error)) throw error;
    const t = this.t(lang);
    const raw = toErrorBody(error);
    const body = localizedErrorBody(error, this.catalogues, lang, {
      fieldLabel: (field) => {
        const key = `session_log.field.${field}`;
        const label = t(key);
        return label === key ? undefined : label;
      },
    });
    const fieldErrors: FieldErrors = {};
    raw.details.forEach((detail, index) => {
      if (detail.field) (fieldErrors[detail.field] ??= []).push(body.details[index]?.message ?? detail.message);
    });
    return { body, fieldErrors };
  }

  private async render(
    request: Request,
    response: Response,
    scope: AccessScope,
    month: CalendarMonth,
    extra: { notice?: string; count?: number; error?: ErrorBody; uploadError?: ErrorBody; listError?: ErrorBody; fieldErrors?: FieldErrors; values?: Record<string, string> },
    status = 200,
  ): Promise<void> {
    const today = this.clock.today();
    const [grants, log] = await Promise.all([
      this.grants.list({ limit: 200 }, scope).then((page) => page.items.filter((g) => g.status === 'active' || g.status === 'ended')),
      this.sessionLog.list({ from: firstDayOfMonth(month), to: lastDayOfMonth(month), limit: 1000 }, scope),
    ]);
    const values = extra.values ?? {};
    const first = firstDayOfMonth(month);
    response.status(status).render('pages/supplier/sessions', {
      ...pageContext(request),
      title: 'session_log.heading',
      month,
      notice: extra.notice,
      count: extra.count,
      error: extra.error,
      uploadError: extra.uploadError,
      listError: extra.listError,
      fieldErrors: extra.fieldErrors ?? {},
      previousMonth: monthOf(addMonths(first, -1)),
      nextMonth: monthOf(addMonths(first, 1)),
      values: { ...values, date: values.date || (monthOf(today) === month ? today : first) },
      today,
      grantOptions: grants.map((g) => ({ id: g.id, reference: g.reference, selected: g.id === values.grantId })),
      contactOptions: CONTACT_FORMS.map((value) => ({ value, selected: (values.contactForm || 'in_person') === value })),
      withWhomOptions: WITH_WHOM.map((value) => ({ value, selected: (values.withWhom || 'citizen') === value })),
      hasGrants: grants.length > 0,
      sessions: log.items,
      totalMinutes: log.totalMinutes,
      notInvoicedMinutes: log.notInvoicedMinutes,
    });
  }
}

function text(body: Form | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}
