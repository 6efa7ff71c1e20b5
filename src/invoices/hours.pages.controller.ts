import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { formErrorView, type FormFields } from '../common/web/form-errors';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { addMonths, firstDayOfMonth, isValidMonth, lastDayOfMonth, monthOf, type CalendarMonth, type CalendarDate } from '../common/time/calendar-date';
import { parseForm } from '../common/web/form';
import { formatKroner, formatMinutes } from '../common/web/format';
import type { InvoiceDto } from './invoices.dto';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { GrantsService } from '../grants/grants.service';
import { GrantUsageService } from './grant-usage.service';
import { HourRegistrationsService } from './hour-registrations.service';
import { CreateHourRegistrationDto, HourRegistrationMonthDto } from './invoices.dto';
import { CONTACT_FORMS } from './parsed-invoice';
import { SuppliersService } from '../suppliers/suppliers.service';
import { invoiceErrorText, invoiceView, weekTable, type Translate } from './invoice-pages.view';
import { Clock } from '../common/time/clock';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  registered: 'hours.notice.registered',
  removed: 'hours.notice.removed',
};

/**
 * A partner company's hour registration (timeregistrering): sessions per grant into the month's
 * self-billing draft, its findings, removing a session, submitting the month. A mentor supplier is told
 * that it invoices instead.
 */
@ApiExcludeController()
@Controller()
export class HoursPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly registrations: HourRegistrationsService,
    private readonly suppliers: SuppliersService,
    private readonly grants: GrantsService,
    private readonly usage: GrantUsageService,
    private readonly clock: Clock,
  ) {}

  @Get('supplier/hours')
  @Roles('supplier')
  async month(@Req() request: Request, @Res() response: Response, @Scope() scope: AccessScope, @Query('month') month?: string, @Query('notice') notice?: string): Promise<void> {
    await this.render(request, response, scope, isValidMonth(month) ? month : monthOf(this.clock.today()), { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('supplier/hours')
  @Roles('supplier')
  async register(@Req() request: Request, @Res() response: Response, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = { grantId: text(body, 'grantId'), date: text(body, 'date'), minutes: text(body, 'minutes'), contactForm: text(body, 'contactForm'), employeeRef: text(body, 'employeeRef') };
    const shownMonth = isValidMonth(values.date.slice(0, 7)) ? values.date.slice(0, 7) : monthOf(this.clock.today());
    try {
      const own = (await this.grants.list({ status: 'active', limit: 200 }, scope)).items;
      if (values.grantId && !own.some((g) => g.id === values.grantId)) {
        throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', [{ field: 'grantId', rule: 'own_active_grant', message: 'choose one of your active grants' }]);
      }
      const { employeeRef, ...rest } = values;
      const form = await parseForm(CreateHourRegistrationDto, { ...rest, ...(employeeRef ? { employeeRef } : {}), minutes: /^\d{1,4}$/.test(values.minutes) ? Number(values.minutes) : values.minutes });
      await this.registrations.register(form, scope, actor);
      response.redirect(303, `/supplier/hours?month=${monthOf(form.date)}&notice=registered`);
    } catch (error) {
      const errorBody = this.pageError(error, 'register', pageContext(request).lang);
      const view = formErrorView(toErrorBody(error), errorBody, REGISTER_FIELDS);
      await this.render(request, response, scope, shownMonth, { error: view.error, fieldErrors: view.fieldErrors, values }, errorBody.statusCode);
    }
  }

  @Post('supplier/hours/sessions/:id/remove')
  @Roles('supplier')
  async remove(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const month = isValidMonth(text(body, 'month')) ? text(body, 'month') : monthOf(this.clock.today());
    try {
      await this.registrations.remove(id, scope, actor);
      response.redirect(303, `/supplier/hours?month=${month}&notice=removed`);
    } catch (error) {
      if (error instanceof DomainException && error.code === DomainErrorCode.NotFound) throw error;
      const errorBody = this.pageError(error, 'remove', pageContext(request).lang);
      await this.render(request, response, scope, month, { monthError: errorBody }, errorBody.statusCode);
    }
  }

  @Post('supplier/hours/:month/submit')
  @Roles('supplier')
  async submit(@Req() request: Request, @Res() response: Response, @Param() params: HourRegistrationMonthDto, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    try {
      // A submitted month cannot be changed: the page first says what is submitted, and asks.
      if (text(body, 'confirmed') !== 'yes') {
        const draft = await this.registrations.month(params.month, scope);
        if (draft?.status === 'draft' && (draft.lines?.length ?? 0) > 0) {
          await this.renderSubmitConfirmation(request, response, params.month, draft);
          return;
        }
      }
      const invoice = await this.registrations.submit(params.month, scope, actor);
      response.redirect(303, `/supplier/invoices/${invoice.id}?notice=submitted`);
    } catch (error) {
      const errorBody = this.pageError(error, 'month', pageContext(request).lang);
      await this.render(request, response, scope, params.month, { monthError: errorBody }, errorBody.statusCode);
    }
  }

  /** The confirmation before a month is submitted: the month, its sessions, hours and amount, and that it cannot be changed after. */
  private async renderSubmitConfirmation(request: Request, response: Response, month: CalendarMonth, draft: InvoiceDto): Promise<void> {
    const context = pageContext(request);
    const lines = draft.lines ?? [];
    const minutes = lines.reduce((sum, line) => sum + (line.minutes ?? 0), 0);
    response.status(200).render('pages/supplier/hours-submit', {
      ...context,
      title: 'hours.submit_confirm.heading',
      month,
      sessions: lines.length,
      hours: formatMinutes(minutes, { as: 'clock' }),
      hoursDecimal: formatMinutes(minutes, { as: 'hours', language: context.lang }),
      amount: formatKroner(draft.netOre, context.lang),
      approvable: formatKroner(draft.approvableOre, context.lang),
      cut: draft.approvableOre !== draft.netOre,
      errorCount: draft.errorCount,
    });
  }

  private t(lang: Language): Translate {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  private pageError(error: unknown, action: 'register' | 'remove' | 'month', lang: Language): ErrorBody {
    if (!isRefusal(error)) throw error;
    return localizedErrorBody(error, this.catalogues, lang, invoiceErrorText(action, this.t(lang)));
  }

  private async render(request: Request, response: Response, scope: AccessScope, month: CalendarMonth, extra: { notice?: string; error?: ErrorBody; monthError?: ErrorBody; values?: Record<string, string>; fieldErrors?: Record<string, string[]> }, status = 200): Promise<void> {
    const lang = pageContext(request).lang;
    const supplier = await this.suppliers.get(scope.supplierId as string, scope);
    const base = { ...pageContext(request), title: 'hours.heading', month, ...extra };
    if (supplier.kind !== 'partner_company') {
      response.status(status).render('pages/supplier/hours', { ...base, partner: false });
      return;
    }
    const [draft, grants] = await Promise.all([this.registrations.month(month, scope), this.grants.list({ status: 'active', limit: 200 }, scope).then((page) => page.items)]);
    const usage = await this.usage.weekUsage(grants.map((g) => g.id), firstDayOfMonth(month), lastDayOfMonth(month), scope);
    const values = extra.values ?? {};
    const first = firstDayOfMonth(month);
    response.status(status).render('pages/supplier/hours', {
      ...base,
      partner: true,
      previousMonth: monthOf(addMonths(first, -1)),
      nextMonth: monthOf(addMonths(first, 1)),
      draft: draft ? invoiceView(draft, lang, this.catalogues) : null,
      isDraft: draft?.status === 'draft',
      values: { ...values, date: values.date || defaultDate(month, this.clock.today()) },
      grantOptions: grants.map((g) => ({ id: g.id, reference: g.reference, selected: g.id === values.grantId })),
      contactOptions: CONTACT_FORMS.map((value) => ({ value, selected: (values.contactForm || 'in_person') === value })),
      hasGrants: grants.length > 0,
      weekTable: weekTable(grants, usage, this.t(lang)),
    });
  }
}

/** The registration form's fields by element id, so a refusal is shown beside the field it names. */
const REGISTER_FIELDS: FormFields = { ids: { grantId: 'h-grant', date: 'h-date', minutes: 'h-minutes', contactForm: 'h-contact', employeeRef: 'h-employee' } };

/** Today when it lies in the month, else the month's first day. */
function defaultDate(month: CalendarMonth, today: CalendarDate): string {
  return monthOf(today) === month ? today : firstDayOfMonth(month);
}

function text(body: Form | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}
