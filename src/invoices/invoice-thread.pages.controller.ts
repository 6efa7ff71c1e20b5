import { Body, Controller, Get, HttpException, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { localizeErrorBody } from '../common/errors/error-text';
import { answerTextOf, isRefusal, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { Clock } from '../common/time/clock';
import { formatTimestamp } from '../common/web/finance-view';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { responseCodeFor } from './business-response.rules';
import { BusinessResponsesService } from './business-responses.service';
import { InvoiceDisputesService } from './invoice-disputes.service';
import { holdProblem, isHoldable, RESOLUTIONS, type Resolution } from './invoice-hold.rules';
import { InvoiceHoldsService } from './invoice-holds.service';
import { invoiceTransitionProblem } from './invoice-lifecycle.rules';
import { lineViews } from './invoice-pages.view';
import { AnswerFindingDto, HoldInvoiceDto, ReplyDisputeDto, ResolveDisputeDto } from './invoice-thread.dto';
import { threadView } from './invoice-thread.view';
import type { InvoiceDto } from './invoices.dto';
import { InvoicesService } from './invoices.service';

type Form = Record<string, unknown>;
type Step = 'hold' | 'release' | 'answer' | 'reply' | 'resolve';

/** The fields each step's form has: a refusal naming one of them is shown beside it. */
const STEP_FIELDS: Record<Step, readonly string[]> = {
  hold: ['reason', 'releaseOn'],
  release: [],
  answer: ['answer', 'comment'],
  reply: ['comment'],
  resolve: ['resolution', 'comment'],
};

interface StepPage {
  step: Step;
  /** The line the step concerns (answer, reply, resolve). */
  lineNo?: number;
  values?: Record<string, string>;
  error?: { raw: ErrorBody; shown: ErrorBody };
  /** The confirmation: what will happen, told in sentences, and the fields the confirming form carries. */
  confirm?: { summary: string[]; hidden: Record<string, string> };
}

/**
 * The hold and dispute steps of the invoice pages: finance holds (after a confirmation page that says what is
 * pending) and releases an invoice, answers and resolves a disputed line; the supplier answers a line's findings
 * (confirmed, as an answer is given once). A refused step shows its form again with the reasons beside its
 * fields; a step done returns to the invoice page. The section itself is rendered on both invoice pages from
 * the thread (invoice-thread.view.ts). Finance's outbox of business responses is here too.
 */
@ApiExcludeController()
@Controller()
export class InvoiceThreadPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly invoices: InvoicesService,
    private readonly holds: InvoiceHoldsService,
    private readonly disputes: InvoiceDisputesService,
    private readonly responses: BusinessResponsesService,
    private readonly clock: Clock,
  ) {}

  // ---- finance: hold and release ----

  @Post('finance/invoices/:id/hold')
  @Roles('finance')
  async hold(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = { reason: text(body, 'reason'), releaseOn: text(body, 'releaseOn') };
    const lang = pageContext(request).lang;
    try {
      const form = await parseForm(HoldInvoiceDto, values);
      if (!confirmed(body)) {
        const invoice = await this.invoices.get(id, scope);
        // Refuse here what the hold would refuse, so the confirmation never offers a step that cannot be taken.
        const problem = holdProblem(form.releaseOn, this.clock.today());
        if (problem) throw DomainException.rule('The invoice cannot be held to that date', [problem]);
        if (!isHoldable(invoice.status)) throw DomainException.conflict(`The invoice is ${invoice.status}`, [invoiceTransitionProblem(invoice.status, 'held', 'finance')!]);
        const t = this.t(lang);
        const summary = [
          t('thread.hold_confirm_reason', { reason: form.reason.trim() }),
          t('thread.hold_confirm_date', { releaseOn: form.releaseOn }),
          t(invoice.status === 'validated' ? 'thread.hold_pending_not_billed' : 'thread.hold_pending_approved'),
          t('thread.hold_pending_notified'),
          ...this.responseSentence(invoice, 'held', lang),
        ];
        await this.renderStep(request, response, id, scope, { step: 'hold', values, confirm: { summary, hidden: values } });
        return;
      }
      await this.holds.hold(id, { reason: form.reason, releaseOn: form.releaseOn }, actor);
      response.redirect(303, `/finance/invoices/${id}?notice=held`);
    } catch (error) {
      await this.refused(request, response, id, scope, error, { step: 'hold', values });
    }
  }

  @Post('finance/invoices/:id/release')
  @Roles('finance')
  async release(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    try {
      await this.holds.release(id, actor);
      response.redirect(303, `/finance/invoices/${id}?notice=released`);
    } catch (error) {
      await this.refused(request, response, id, scope, error, { step: 'release' });
    }
  }

  // ---- the supplier's answer, finance's reply and resolution ----

  @Post('supplier/invoices/:id/lines/:lineNo/answer')
  @Roles('supplier')
  async answer(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('lineNo', ParseIntPipe) lineNo: number, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = { answer: text(body, 'answer'), comment: text(body, 'comment') };
    const lang = pageContext(request).lang;
    try {
      const form = await parseForm(AnswerFindingDto, values);
      if (form.answer === 'dispute' && !form.comment) {
        throw DomainException.rule('A dispute needs a comment', [{ field: 'comment', rule: 'comment_required', message: 'say why the finding is disputed' }]);
      }
      if (!confirmed(body)) {
        const t = this.t(lang);
        const summary = form.answer === 'accept' ? [t('thread.answer_confirm_accept', { n: lineNo })] : [t('thread.answer_confirm_dispute', { n: lineNo, comment: form.comment }), t('thread.answer_pending_dispute')];
        await this.renderStep(request, response, id, scope, { step: 'answer', lineNo, values, confirm: { summary, hidden: values } });
        return;
      }
      await this.disputes.answer(id, lineNo, form, scope, actor);
      response.redirect(303, `/supplier/invoices/${id}?notice=answered#thread-line-${lineNo}`);
    } catch (error) {
      await this.refused(request, response, id, scope, error, { step: 'answer', lineNo, values });
    }
  }

  @Post('finance/invoices/:id/lines/:lineNo/reply')
  @Roles('finance')
  async reply(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('lineNo', ParseIntPipe) lineNo: number, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = { comment: text(body, 'comment') };
    try {
      const form = await parseForm(ReplyDisputeDto, values, ['comment']);
      await this.disputes.reply(id, lineNo, form.comment, scope, actor);
      response.redirect(303, `/finance/invoices/${id}?notice=replied#thread-line-${lineNo}`);
    } catch (error) {
      await this.refused(request, response, id, scope, error, { step: 'reply', lineNo, values });
    }
  }

  @Post('finance/invoices/:id/lines/:lineNo/resolve')
  @Roles('finance')
  async resolve(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('lineNo', ParseIntPipe) lineNo: number, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = { resolution: text(body, 'resolution'), comment: text(body, 'comment') };
    const lang = pageContext(request).lang;
    try {
      const form = await parseForm(ResolveDisputeDto, values);
      if (!confirmed(body)) {
        // Offered only for an open dispute, and a replacement or credit only once the supplier's document is here.
        const refusal = await this.disputes.resolutionCheck(id, lineNo, form.resolution, scope);
        if (refusal) throw refusal;
        const t = this.t(lang);
        const summary = [t('thread.resolve_confirm', { n: lineNo, resolution: t(`resolution.${form.resolution as Resolution}`) }), ...(form.comment ? [form.comment] : []), t('thread.resolve_pending')];
        await this.renderStep(request, response, id, scope, { step: 'resolve', lineNo, values, confirm: { summary, hidden: values } });
        return;
      }
      await this.disputes.resolve(id, lineNo, form, scope, actor);
      response.redirect(303, `/finance/invoices/${id}?notice=resolved#thread-line-${lineNo}`);
    } catch (error) {
      await this.refused(request, response, id, scope, error, { step: 'resolve', lineNo, values });
    }
  }

  // ---- finance: the outbox of business responses ----

  @Get('finance/business-responses')
  @Roles('finance', 'admin')
  async outbox(@Req() request: Request, @Res() response: Response, @Query('after') after?: string): Promise<void> {
    const page = await this.responses.outbox(after && /^\d{1,18}$/.test(after) ? after : null, 50);
    response.render('pages/finance/business-responses', {
      ...pageContext(request),
      title: 'responses_outbox.heading',
      items: page.items.map((item) => ({ ...item, createdAt: formatTimestamp(item.createdAt) })),
      nextCursor: page.nextCursor,
    });
  }

  // ---- rendering ----

  private t(lang: Language): (key: string, params?: Record<string, unknown>) => string {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  /** For an e-invoice: the business response the step sends, in a sentence. */
  private responseSentence(invoice: InvoiceDto, trigger: 'held', lang: Language): string[] {
    if (invoice.source !== 'ubl') return [];
    const code = responseCodeFor(trigger, invoice.status);
    return [this.t(lang)('thread.pending_response', { code, codeText: this.t(lang)(`response_code.${code}`) })];
  }

  /** A refused step: its page again with the reasons, beside the fields they name; what is not a refusal goes on. */
  private async refused(request: Request, response: Response, id: string, scope: AccessScope, error: unknown, page: StepPage): Promise<void> {
    if (error instanceof DomainException && error.code === DomainErrorCode.NotFound) throw error;
    if (!isRefusal(error) && !(error instanceof HttpException)) throw error;
    const raw = toErrorBody(error);
    if (raw.statusCode >= 500) throw error;
    const lang = pageContext(request).lang;
    const t = this.t(lang);
    const shown = localizeErrorBody(this.catalogues, lang, raw, answerTextOf(error, raw.statusCode), {
      heading: `thread.error.${page.step}`,
      fieldLabel: (field) => {
        const label = t(`thread.field.${field}`);
        return label === `thread.field.${field}` ? undefined : label;
      },
    });
    await this.renderStep(request, response, id, scope, { ...page, error: { raw, shown } }, raw.statusCode);
  }

  private async renderStep(request: Request, response: Response, id: string, scope: AccessScope, page: StepPage, status = 200): Promise<void> {
    const context = pageContext(request);
    const t = this.t(context.lang);
    const invoice = await this.invoices.get(id, scope);
    const side = context.user?.role === 'supplier' ? 'supplier' : 'finance';
    const back = `/${side}/invoices/${id}`;
    const lines = lineViews(invoice.lines ?? [], context.lang, this.catalogues);
    const line = page.lineNo === undefined ? undefined : threadView(await this.disputes.thread(id, scope), { ...invoice, lines }, context.user?.role).lines.find((l) => l.lineNo === page.lineNo);
    const fieldErrors: Record<string, string[]> = {};
    page.error?.raw.details.forEach((detail, index) => {
      if (detail.field && STEP_FIELDS[page.step].includes(detail.field)) (fieldErrors[detail.field] ??= []).push(page.error!.shown.details[index].message);
    });
    const heading =
      page.step === 'hold' && page.confirm
        ? t('thread.hold_confirm_heading', { number: invoice.invoiceNumber })
        : page.step === 'answer' && page.confirm
          ? t('thread.answer_confirm_heading', { n: page.lineNo })
          : page.step === 'resolve' && page.confirm
            ? t('thread.resolve_confirm_heading', { n: page.lineNo })
            : `${t('invoices.invoice_heading')} ${invoice.invoiceNumber}`;
    const lineNo = page.lineNo;
    response.status(status).render('pages/invoices/thread-step', {
      ...context,
      title: 'thread.heading',
      heading,
      back,
      step: page.step,
      invoice: { id, invoiceNumber: invoice.invoiceNumber },
      // A line without findings or dispute is not in the thread; its number still names the form's target.
      line: line ?? (lineNo === undefined ? undefined : { lineNo, findings: [], answerAction: `/supplier/invoices/${id}/lines/${lineNo}/answer`, replyAction: `/finance/invoices/${id}/lines/${lineNo}/reply`, resolveAction: `/finance/invoices/${id}/lines/${lineNo}/resolve`, resolutions: RESOLUTIONS.map((value) => ({ value, id: `res-${lineNo}-${value}` })) }),
      error: page.error?.shown,
      form: { values: page.values ?? {}, fieldErrors },
      confirm: page.confirm !== undefined && !page.error,
      summary: page.confirm?.summary ?? [],
      hidden: Object.entries(page.confirm?.hidden ?? {}).map(([name, value]) => ({ name, value })),
      action: request.path,
    });
  }
}

function text(body: Form | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

function confirmed(body: Form | undefined): boolean {
  return body?.confirmed === 'yes';
}
