import { Body, Controller, Get, HttpException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { localizeErrorBody } from '../common/errors/error-text';
import { answerTextOf, isRefusal, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { addDays } from '../common/time/calendar-date';
import { formatKroner } from '../common/web/format';
import { parseForm } from '../common/web/form';
import { listView, pageRequest, searchText } from '../common/web/list-query';
import { INVOICE_SORTS } from './invoice.store';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import type { SupplierGrantDto } from '../grants/grants.dto';
import { GrantsService } from '../grants/grants.service';
import { GrantUsageService } from './grant-usage.service';
import { InvoiceIntake } from './invoice-intake';
import { InvoiceReviewService } from './invoice-review.service';
import { INVOICE_STATUSES, type InvoiceStatus } from './invoice-lifecycle.rules';
import { ApproveInvoiceDto, RejectInvoiceDto } from './invoices.dto';
import { InvoicesService, type ApprovalRecord } from './invoices.service';
import type { InvoiceDto } from './invoices.dto';
import { approvalStage, mayApprove } from './four-eyes.rules';
import { UsersService } from '../identity/users.service';
import { AgreementsService, type RateSchedule } from '../suppliers/agreements.service';
import { formErrorView } from '../common/web/form-errors';
import type { CalendarDate } from '../common/time/calendar-date';
import { formatTimestamp } from '../common/web/finance-view';
import { CONTACT_FORMS } from './parsed-invoice';
import { RulesService } from '../rules/rules.service';
import { approvalView, findingViews, formTotalOre, invoiceCsvTemplate, invoiceFormFields, listApprovalStage, prefillRates, rateOn, invoiceBodyFromForm, invoiceErrorText, invoiceView, lineRowsOf, MAX_FORM_ROWS, rowCountOf, uploadContentType, uploadDetail, weekTable, type InvoiceAction, type LineRow, type Translate } from './invoice-pages.view';
import { uploadedFileOf, uploadErrorOf } from './invoice-upload.middleware';
import { Clock } from '../common/time/clock';
import { InvoiceDisputesService } from './invoice-disputes.service';
import { threadView } from './invoice-thread.view';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  created: 'invoices.notice.created',
  exists: 'invoices.notice.exists',
  submitted: 'invoices.notice.submitted',
  approved: 'invoices.notice.approved',
  first_approval: 'invoices.notice.first_approval',
  rejected: 'invoices.notice.rejected',
  held: 'thread.notice.held',
  released: 'thread.notice.released',
  answered: 'thread.notice.answered',
  replied: 'thread.notice.replied',
  resolved: 'thread.notice.resolved',
};

/** Weeks shown in the week view of the invoice form, this week included. */
const RECENT_WEEKS = 8;
const LIST_LIMIT = 100;
/** Rows "Flere linjer" adds. */
const ADDED_ROWS = 5;

/** The supplier's invoice pages (list, form and upload, one invoice with its findings) and finance's inbox and review. */
@ApiExcludeController()
@Controller()
export class InvoicesPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly intake: InvoiceIntake,
    private readonly invoices: InvoicesService,
    private readonly review: InvoiceReviewService,
    private readonly usage: GrantUsageService,
    private readonly grants: GrantsService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
    private readonly disputes: InvoiceDisputesService,
    private readonly users: UsersService,
    private readonly agreements: AgreementsService,
  ) {}

  // ---- the supplier's invoices ----

  @Get('supplier/invoices')
  @Roles('supplier')
  async supplierList(@Req() request: Request, @Res() response: Response, @Scope() scope: AccessScope, @Query('after') after?: string): Promise<void> {
    const lang = pageContext(request).lang;
    const page = await this.invoices.list({ limit: LIST_LIMIT, after: after && /^\d{1,18}$/.test(after) ? after : undefined }, scope);
    response.render('pages/supplier/invoices', {
      ...pageContext(request),
      title: 'invoices.supplier_heading',
      invoices: page.items.map((invoice) => invoiceView(invoice, lang, this.catalogues)),
      nextCursor: page.nextCursor,
    });
  }

  @Get('supplier/invoices/new')
  @Roles('supplier')
  async newInvoice(@Req() request: Request, @Res() response: Response, @Scope() scope: AccessScope, @Query('rows') rows?: string): Promise<void> {
    await this.renderForm(request, response, scope, { rows: lineRowsOf({}, rowCountOf(rows)), values: { issueDate: this.clock.today() } });
  }

  @Post('supplier/invoices/new')
  @Roles('supplier')
  async submitForm(@Req() request: Request, @Res() response: Response, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const rows = lineRowsOf(body ?? {}, rowCountOf(body?.rows));
    const values = { invoiceNumber: text(body, 'invoiceNumber'), issueDate: text(body, 'issueDate') };
    // "Flere linjer" posts the form: it comes back with what was typed, the rates the rate card knows, and more rows.
    if (text(body, 'action') === 'add_rows') {
      const more = lineRowsOf(body ?? {}, Math.min(rows.length + ADDED_ROWS, MAX_FORM_ROWS));
      await this.renderForm(request, response, scope, { rows: more, values, prefill: true, focusRow: rows.length < MAX_FORM_ROWS ? rows.length + 1 : undefined });
      return;
    }
    try {
      const grants = await this.ownActiveGrants(scope);
      const json = invoiceBodyFromForm(body ?? {}, rows, new Map(grants.map((g) => [g.id, g.reference])));
      const submission = await this.intake.read('application/json', json, {}, pageContext(request).lang);
      const result = await this.invoices.submit(submission.invoice, null, scope, actor);
      response.redirect(303, `/supplier/invoices/${result.invoice.id}?notice=${result.created ? 'created' : 'exists'}`);
    } catch (error) {
      const errorBody = this.pageError(error, 'submit', pageContext(request).lang);
      // Each message beside its field: the form's own refusals name their row; the API's name the header fields.
      const view = formErrorView(toErrorBody(error), errorBody, invoiceFormFields(rows.length));
      await this.renderForm(request, response, scope, { rows, values, error: view.error, fieldErrors: view.fieldErrors }, errorBody.statusCode);
    }
  }

  /** A CSV file to fill in and upload: the columns the CSV intake reads (Danish names), and one example row. */
  @Get('supplier/invoices/template.csv')
  @Roles('supplier')
  async csvTemplate(@Res() response: Response, @Scope() scope: AccessScope): Promise<void> {
    const grants = await this.ownActiveGrants(scope);
    const example = grants[0];
    const rate = example ? await this.rateOfGrant(example, this.clock.today()) : null;
    response
      .status(200)
      .setHeader('Content-Type', 'text/csv; charset=utf-8')
      .setHeader('Content-Disposition', 'attachment; filename="fakturalinjer-skabelon.csv"')
      .send(invoiceCsvTemplate({ grantReference: example?.reference ?? 'MS-2026-000123', date: this.clock.today(), rateOre: rate ?? 45_000 }));
  }

  /** The file was read by InvoiceUploadMiddleware before the guards (the CSRF field is in the multipart body). */
  @Post('supplier/invoices/upload')
  @Roles('supplier')
  async upload(@Req() request: Request, @Res() response: Response, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = { uploadInvoiceNumber: text(body, 'invoiceNumber'), uploadIssueDate: text(body, 'issueDate') };
    try {
      const failed = uploadErrorOf(request);
      if (failed !== undefined) throw failed;
      const file = uploadedFileOf(request);
      if (!file || file.size === 0) throw new DomainException(DomainErrorCode.InvalidInput, 'Choose a file', [{ field: 'file', rule: 'file_required', message: 'choose a CSV or XML file' }]);
      const contentType = uploadContentType(file);
      if (contentType === null) throw new DomainException(DomainErrorCode.InvalidInput, 'Upload a .csv or .xml file', uploadDetail(415));
      const meta: Record<string, string> = {};
      if (values.uploadInvoiceNumber) meta.invoiceNumber = values.uploadInvoiceNumber;
      if (values.uploadIssueDate) meta.issueDate = values.uploadIssueDate;
      // CSV is text (the parser strips a BOM); an e-invoice goes in as bytes so its XML declaration decides the encoding.
      const body = contentType === 'text/csv' ? file.buffer.toString('utf8') : file.buffer;
      const submission = await this.intake.read(contentType, body, contentType === 'text/csv' ? meta : {}, pageContext(request).lang);
      const result = await this.invoices.submit(submission.invoice, null, scope, actor);
      response.redirect(303, `/supplier/invoices/${result.invoice.id}?notice=${result.created ? 'created' : 'exists'}`);
    } catch (error) {
      const errorBody = this.pageError(error, 'upload', pageContext(request).lang);
      await this.renderForm(request, response, scope, { rows: lineRowsOf({}, rowCountOf(undefined)), values: { issueDate: this.clock.today(), ...values }, uploadError: errorBody }, errorBody.statusCode);
    }
  }

  @Get('supplier/invoices/:id')
  @Roles('supplier')
  async supplierInvoice(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @Query('notice') notice?: string): Promise<void> {
    const lang = pageContext(request).lang;
    const invoice = await this.invoices.get(id, scope);
    const view = invoiceView(invoice, lang, this.catalogues);
    const threshold = (await this.rules.valuesInForce(invoice.periodTo)).secondApproverThresholdOre;
    response.render('pages/supplier/invoice', {
      ...pageContext(request),
      title: 'invoices.invoice_heading',
      invoice: view,
      approvals: await this.approvals(await this.invoices.approvalRecord(id, scope), threshold),
      thread: threadView(await this.disputes.thread(id, scope), view, pageContext(request).user?.role),
      notice: notice ? NOTICES[notice] : undefined,
    });
  }

  // ---- finance ----

  @Get('finance/invoices')
  @Roles('finance', 'admin')
  async inbox(@Req() request: Request, @Res() response: Response, @Scope() scope: AccessScope, @Query() query: Record<string, unknown>): Promise<void> {
    const lang = pageContext(request).lang;
    const status = typeof query.status === 'string' ? query.status : '';
    const chosen: InvoiceStatus = (INVOICE_STATUSES as readonly string[]).includes(status) ? (status as InvoiceStatus) : 'validated';
    const q = searchText(query.q);
    // Waiting invoices come errors first, then warnings, oldest first; the others newest first.
    const wanted = pageRequest(query, INVOICE_SORTS, { sort: chosen === 'validated' ? 'findings' : 'date', limit: LIST_LIMIT });
    const page = await this.invoices.search({ q, status: chosen }, wanted, scope);
    // Held invoices still wait for finance: the inbox lists them under those awaiting approval.
    const held = chosen === 'validated' ? await this.invoices.list({ status: 'held', order: 'newest', limit: LIST_LIMIT }, scope) : null;
    const thresholds = await this.thresholdsOf(page.items);
    response.render('pages/finance/invoices', {
      ...pageContext(request),
      title: 'invoices.inbox_heading',
      status: chosen,
      statusOptions: INVOICE_STATUSES.filter((s) => s !== 'draft').map((value) => ({ value, selected: value === chosen })),
      invoices: page.items.map((invoice) => ({ ...invoiceView(invoice, lang, this.catalogues), approvalStage: listApprovalStage(invoice, thresholds.get(invoice.periodTo) ?? 0) })),
      heldInvoices: held?.items.map((invoice) => invoiceView(invoice, lang, this.catalogues)) ?? [],
      list: listView('/finance/invoices', wanted, INVOICE_SORTS, page, q, { status: chosen === 'validated' ? null : chosen }),
    });
  }

  @Get('finance/invoices/:id')
  @Roles('finance', 'admin')
  async financeInvoice(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @CurrentActor() actor: Actor, @Query('notice') notice?: string): Promise<void> {
    await this.renderReview(request, response, id, scope, actor, { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('finance/invoices/:id/approve')
  @Roles('finance')
  async approve(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const expected = text(body, 'expectedApprovableOre');
      const form = await parseForm(ApproveInvoiceDto, { expectedApprovableOre: /^-?\d{1,15}$/.test(expected) ? Number(expected) : expected });
      // An approval cannot be undone: the page first says what is approved and what is refused, and asks.
      // Someone the approval would refuse is answered with the refusal at once.
      if (text(body, 'confirmed') !== 'yes' && (await this.mayApproveNow(id, scope, actor))) {
        await this.renderApproveConfirmation(request, response, id, scope, form.expectedApprovableOre);
        return;
      }
      const invoice = await this.review.approve(id, actor, form.expectedApprovableOre);
      response.redirect(303, `/finance/invoices/${id}?notice=${invoice.status === 'validated' ? 'first_approval' : 'approved'}`);
    } catch (error) {
      if (error instanceof DomainException && error.code === DomainErrorCode.NotFound) throw error;
      const errorBody = this.pageError(error, 'approve', pageContext(request).lang);
      await this.renderReview(request, response, id, scope, actor, { approveError: errorBody, freshApprovableOre: freshApprovable(error) }, errorBody.statusCode);
    }
  }

  @Post('finance/invoices/:id/reject')
  @Roles('finance')
  async reject(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const reason = typeof body?.reason === 'string' ? body.reason : '';
    try {
      const form = await parseForm(RejectInvoiceDto, { reason: reason.trim() }, ['reason']);
      await this.review.reject(id, form.reason, actor);
      response.redirect(303, `/finance/invoices/${id}?notice=rejected`);
    } catch (error) {
      if (error instanceof DomainException && error.code === DomainErrorCode.NotFound) throw error;
      const errorBody = this.pageError(error, 'reject', pageContext(request).lang);
      await this.renderReview(request, response, id, scope, actor, { rejectError: errorBody, reason }, errorBody.statusCode);
    }
  }

  // ---- rendering ----

  private t(lang: Language): Translate {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  /** A refusal or an HTTP error (e.g. 413, 415) in the error shape, in the page's language; anything else is not the page's to show. */
  private pageError(error: unknown, action: InvoiceAction, lang: Language): ErrorBody {
    if (!isRefusal(error) && !(error instanceof HttpException)) throw error;
    const body = toErrorBody(error);
    if (body.statusCode >= 500) throw error;
    const shaped = error instanceof HttpException && body.details.length === 0 ? { ...body, details: uploadDetail(body.statusCode) } : body;
    return localizeErrorBody(this.catalogues, lang, shaped, answerTextOf(error, shaped.statusCode), invoiceErrorText(action, this.t(lang)));
  }

  private async mayApproveNow(id: string, scope: AccessScope, actor: Actor): Promise<boolean> {
    const record = await this.invoices.approvalRecord(id, scope);
    const dto = await this.invoices.get(id, scope);
    const threshold = (await this.rules.valuesInForce(dto.periodTo)).secondApproverThresholdOre;
    return mayApprove(record, threshold, { userId: actor.userId ?? null, role: actor.role ?? null });
  }

  /**
   * The confirmation before an approval: the amount approved and what is refused (the invoice's cut lines),
   * and, for the first of two approvals, that a second finance user must approve before anything is paid.
   * `expectedOre` is the approvable amount the user saw; the approval checks it against fresh numbers.
   */
  private async renderApproveConfirmation(request: Request, response: Response, id: string, scope: AccessScope, expectedOre: number | undefined): Promise<void> {
    const context = pageContext(request);
    const dto = await this.invoices.get(id, scope);
    const invoice = invoiceView(dto, context.lang, this.catalogues);
    const threshold = (await this.rules.valuesInForce(dto.periodTo)).secondApproverThresholdOre;
    const stage = approvalStage(await this.invoices.approvalRecord(id, scope), threshold);
    const approvedOre = expectedOre ?? dto.approvableOre;
    const kr = (ore: number) => formatKroner(ore, context.lang);
    response.status(200).render('pages/finance/invoice-approve', {
      ...context,
      title: 'invoices.approve_confirm.heading',
      invoice,
      expectedOre: approvedOre,
      approved: kr(approvedOre),
      refused: kr(dto.netOre - approvedOre),
      anyRefused: dto.netOre !== approvedOre,
      firstOfTwo: stage === 'awaiting_first_of_two',
      secondOfTwo: stage === 'awaiting_second_approver',
      threshold: kr(threshold),
      cutLines: (dto.lines ?? [])
        .filter((line) => line.approvableOre !== line.amountOre)
        .map((line) => ({
          lineNo: line.lineNo,
          grantReference: line.grantReference,
          date: line.date,
          amount: kr(line.amountOre),
          approvable: kr(line.approvableOre),
          refused: kr(line.amountOre - line.approvableOre),
          findings: findingViews(line.findings, context.lang, this.catalogues, line).filter((finding) => finding.severity === 'error'),
        })),
    });
  }

  /** The four-eyes block: the stage, and the approvers by name (read through the identity module). */
  private async approvals(record: ApprovalRecord, threshold: number) {
    const ids = [record.firstApprovedBy, record.approvedBy].filter((id): id is string => id !== null);
    const names = new Map<string, string>();
    for (const id of new Set(ids)) names.set(id, (await this.users.get(id).catch(() => null))?.displayName ?? '–');
    return approvalView(record, threshold, (id) => names.get(id) ?? '–', formatTimestamp);
  }

  /** The four-eyes threshold of each period end (the rule set in force then), read once per date. */
  private async thresholdsOf(invoices: InvoiceDto[]): Promise<Map<string, number>> {
    const thresholds = new Map<string, number>();
    for (const periodTo of new Set(invoices.map((invoice) => invoice.periodTo))) thresholds.set(periodTo, (await this.rules.valuesInForce(periodTo)).secondApproverThresholdOre);
    return thresholds;
  }

  private async ownActiveGrants(scope: AccessScope): Promise<SupplierGrantDto[]> {
    return (await this.grants.list({ status: 'active', limit: 200 }, scope)).items;
  }

  private async renderForm(
    request: Request,
    response: Response,
    scope: AccessScope,
    extra: { rows: LineRow[]; values: Record<string, string>; error?: ErrorBody; fieldErrors?: Record<string, string[]>; uploadError?: ErrorBody; prefill?: boolean; focusRow?: number },
    status = 200,
  ): Promise<void> {
    const lang = pageContext(request).lang;
    const today = this.clock.today();
    const grants = await this.ownActiveGrants(scope);
    const usage = await this.usage.weekUsage(grants.map((g) => g.id), addDays(today, -7 * (RECENT_WEEKS - 1)), today, scope);
    const schedules = await this.rateSchedules(grants);
    const rows = extra.prefill ? prefillRates(extra.rows, schedules) : extra.rows;
    const totalOre = formTotalOre(rows);
    const t = this.t(lang);
    response.status(status).render('pages/supplier/invoice-new', {
      ...pageContext(request),
      title: 'invoices.new_heading',
      today,
      values: extra.values,
      error: extra.error,
      fieldErrors: extra.fieldErrors ?? {},
      uploadError: extra.uploadError,
      rowCount: rows.length,
      canAddRows: rows.length < MAX_FORM_ROWS,
      focusRow: extra.focusRow,
      formTotal: totalOre === null ? null : formatKroner(totalOre, lang),
      // What the script needs to prefill a rate and keep the total running: each grant's rates, and the texts.
      formJson: JSON.stringify({
        maxRows: MAX_FORM_ROWS,
        rates: Object.fromEntries([...schedules]),
        lang,
        text: { noTotal: t('invoices.form_total_none') },
      }).replace(/</g, '\\u003c'),
      rows: rows.map((row) => ({
        ...row,
        grantOptions: grants.map((g) => ({ id: g.id, reference: g.reference, selected: g.id === row.grantId })),
        contactOptions: CONTACT_FORMS.map((value) => ({ value, selected: (row.contactForm || 'in_person') === value })),
      })),
      hasGrants: grants.length > 0,
      weekTable: weekTable(grants, usage, t),
    });
  }

  /** Each grant's rates by its agreement's card for its mentor type and level (read through the suppliers module). */
  private async rateSchedules(grants: SupplierGrantDto[]): Promise<Map<string, RateSchedule>> {
    const byCard = new Map<string, Promise<RateSchedule>>();
    const schedules = new Map<string, RateSchedule>();
    for (const grant of grants) {
      const key = `${grant.agreementId}|${grant.mentorType}|${grant.serviceLevel}`;
      if (!byCard.has(key)) byCard.set(key, this.agreements.rateSchedule(grant.agreementId, grant.mentorType, grant.serviceLevel));
      schedules.set(grant.id, await (byCard.get(key) as Promise<RateSchedule>));
    }
    return schedules;
  }

  private async rateOfGrant(grant: SupplierGrantDto, date: CalendarDate): Promise<number | null> {
    return rateOn(await this.agreements.rateSchedule(grant.agreementId, grant.mentorType, grant.serviceLevel), date);
  }

  private async renderReview(request: Request, response: Response, id: string, scope: AccessScope, actor: Actor, extra: Record<string, unknown> & { freshApprovableOre?: number }, status = 200): Promise<void> {
    const context = pageContext(request);
    const { freshApprovableOre, ...rest } = extra;
    const dto = await this.invoices.get(id, scope);
    const invoice = invoiceView(dto, context.lang, this.catalogues);
    // After a 409 the approval offers the amount approvable now, which the error named.
    const approveOre = freshApprovableOre ?? invoice.approvableOre;
    // The same threshold the approval applies: the rule set in force at the period's end.
    const threshold = (await this.rules.valuesInForce(dto.periodTo)).secondApproverThresholdOre;
    const record = await this.invoices.approvalRecord(id, scope);
    response.status(status).render('pages/finance/invoice', {
      ...context,
      title: 'invoices.review_heading',
      invoice,
      thread: threadView(await this.disputes.thread(id, scope), invoice, context.user?.role),
      approve: { expectedOre: approveOre, amount: formatKroner(approveOre, context.lang) },
      canDecide: context.user?.role === 'finance' && invoice.status === 'validated',
      // Only someone the approval would accept is offered it: never the first approver for the second, nor after the decision.
      canApprove: mayApprove(record, threshold, { userId: actor.userId ?? null, role: context.user?.role ?? null }),
      // Why a finance user deciding the invoice is not offered the approval.
      approveWithheld: context.user?.role === 'finance' && invoice.status === 'validated' ? withheldReason(record, actor.userId ?? null) : null,
      approvals: await this.approvals(record, threshold),
      ...rest,
    });
  }
}

function withheldReason(record: ApprovalRecord, userId: string | null): string | null {
  if (userId !== null && record.submittedBy === userId) return 'invoices.approve_withheld.registered';
  if (userId !== null && record.firstApprovedBy === userId) return 'invoices.approve_withheld.first_approver';
  if (record.approvableOre === 0) return 'invoices.approve_withheld.nothing';
  return null;
}

/** The approvable amount a numbers_changed conflict reports, if that is what happened. */
function freshApprovable(error: unknown): number | undefined {
  if (!(error instanceof DomainException)) return undefined;
  const value = error.details.find((detail) => detail.rule === 'numbers_changed')?.values?.approvableOre;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

function text(body: Form | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}
