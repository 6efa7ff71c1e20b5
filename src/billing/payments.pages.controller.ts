import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues } from '../common/i18n/messages';
import { addDays, firstDayOfMonth, monthOf } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { formatTimestamp } from '../common/web/finance-view';
import { formatKroner } from '../common/web/format';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { uploadDetail } from '../invoices/invoice-pages.view';
import { uploadedFileOf, uploadErrorOf } from '../invoices/invoice-upload.middleware';
import { PaymentsService, type DueStatementDto, type PaymentImportDto, type PaymentLineDto } from './payments.service';
import { PostingsService } from './postings.service';

type Form = Record<string, unknown>;

const text = (body: Form | undefined, name: string): string => {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/**
 * Finance's side of the finance-system bridge: the posting export (a period, confirmed before it is exported
 * once) and the payment import (a file read, shown with what it will mark paid, and applied only when
 * confirmed), the findings of payments that differ, and the payment term: what falls due this week and what
 * is late.
 */
@ApiExcludeController()
@Controller()
export class PaymentsPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly payments: PaymentsService,
    private readonly postings: PostingsService,
    private readonly clock: Clock,
  ) {}

  // ---- payments ----

  @Get('finance/payments')
  @Roles('finance', 'admin')
  async paymentsPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string, @Query('import') importId?: string): Promise<void> {
    await this.renderPayments(request, response, { notice, importId });
  }

  /** Reads the uploaded file and shows what it will do; nothing is stored. */
  @Post('finance/payments/preview')
  @Roles('finance')
  async preview(@Req() request: Request, @Res() response: Response): Promise<void> {
    const lang = pageContext(request).lang;
    try {
      const failed = uploadErrorOf(request);
      if (failed !== undefined) throw new DomainException(DomainErrorCode.InvalidInput, 'The file is too large', uploadDetail(413));
      const upload = uploadedFileOf(request);
      if (!upload || upload.size === 0) throw new DomainException(DomainErrorCode.InvalidInput, 'Choose a file', [{ field: 'file', rule: 'file_required', message: 'choose a CSV file' }]);
      const file = { text: upload.buffer.toString('utf8'), bytes: upload.size, filename: upload.originalname || null };
      const preview = await this.payments.preview(file);
      response.status(200).render('pages/finance/payments-confirm', {
        ...pageContext(request),
        title: 'payments.confirm_heading',
        filename: file.filename,
        content: Buffer.from(file.text, 'utf8').toString('base64'),
        preview: this.importView(preview, lang),
      });
    } catch (error) {
      const errorBody = this.pageError(error, 'payments.error.read', lang);
      await this.renderPayments(request, response, { uploadError: errorBody }, errorBody.statusCode);
    }
  }

  /** Applies the confirmed file: the same bytes that were shown (their hash is checked again). */
  @Post('finance/payments/import')
  @Roles('finance')
  async apply(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const lang = pageContext(request).lang;
    try {
      const content = Buffer.from(text(body, 'content'), 'base64').toString('utf8');
      const file = { text: content, bytes: Buffer.byteLength(content, 'utf8'), filename: text(body, 'filename') || null };
      const result = await this.payments.import(file, actor, text(body, 'sha256'));
      response.redirect(303, `/finance/payments?notice=${result.alreadyImported ? 'already_imported' : 'imported'}&import=${result.importId ?? ''}`);
    } catch (error) {
      const errorBody = this.pageError(error, 'payments.error.import', lang);
      await this.renderPayments(request, response, { uploadError: errorBody }, errorBody.statusCode);
    }
  }

  // ---- postings ----

  @Get('finance/postings')
  @Roles('finance', 'admin')
  async postingsPage(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const context = pageContext(request);
    const today = this.clock.today();
    const values = { from: text(query, 'from') || firstDayOfMonth(monthOf(addDays(today, -31))), to: text(query, 'to') || today };
    let error: ErrorBody | undefined;
    let pending: Awaited<ReturnType<PostingsService['pending']>> | null = null;
    if (text(query, 'from') || text(query, 'to')) {
      try {
        pending = await this.postings.pending(values.from, values.to);
      } catch (caught) {
        error = this.pageError(caught, 'postings.error.period', context.lang);
      }
    }
    const kr = (ore: number) => formatKroner(ore, context.lang);
    const exports = await this.postings.recent();
    response.status(error ? error.statusCode : 200).render('pages/finance/postings', {
      ...context,
      title: 'postings.heading',
      values,
      error,
      fieldErrors: error ? { period: error.details.map((d) => d.message) } : undefined,
      canExport: context.user?.role === 'finance',
      notice: text(query, 'notice') === 'exported' ? 'postings.notice.exported' : text(query, 'notice') === 'nothing' ? 'postings.notice.nothing' : undefined,
      exportedId: text(query, 'export') || undefined,
      // Handlebars takes an empty list for false: whether the period was asked for is said apart.
      asked: pending !== null,
      pending: pending?.map((p) => ({ ...p, net: kr(p.netOre), vat: kr(p.vatOre) })) ?? [],
      exports: exports.map((e) => ({ ...e, net: kr(e.netOre), vat: kr(e.vatOre), created: formatTimestamp(e.createdAt) })),
    });
  }

  /** Exports the period once it is confirmed on the page; the export's files are then downloaded by id. */
  @Post('finance/postings')
  @Roles('finance')
  async exportPostings(@Res() response: Response, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const from = text(body, 'from');
    const to = text(body, 'to');
    try {
      const file = await this.postings.export({ from, to }, actor);
      response.redirect(303, file.exportId ? `/finance/postings?notice=exported&export=${file.exportId}` : `/finance/postings?notice=nothing`);
    } catch (error) {
      // The page checks the same period and shows why it is refused, beside the fields.
      if (!isRefusal(error)) throw error;
      response.redirect(303, `/finance/postings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    }
  }

  // ---- rendering ----

  private pageError(error: unknown, heading: string, lang: Language): ErrorBody {
    if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
    return localizedErrorBody(error, this.catalogues, lang, { heading });
  }

  private async renderPayments(request: Request, response: Response, extra: { notice?: string; importId?: string; uploadError?: ErrorBody }, status = 200): Promise<void> {
    const context = pageContext(request);
    const kr = (ore: number) => formatKroner(ore, context.lang);
    const [term, findings, imports] = [await this.payments.paymentTerm(), await this.payments.findings(), await this.payments.imports()];
    const due = (s: DueStatementDto) => ({ ...s, total: kr(s.totalOre) });
    const lastImport = extra.importId ? imports.find((i) => i.id === extra.importId) : undefined;
    response.status(status).render('pages/finance/payments', {
      ...context,
      title: 'payments.heading',
      canImport: context.user?.role === 'finance',
      notice: extra.notice === 'imported' ? 'payments.notice.imported' : extra.notice === 'already_imported' ? 'payments.notice.already_imported' : undefined,
      lastImport,
      uploadError: extra.uploadError,
      fileErrors: extra.uploadError?.details.map((d) => d.message),
      term: { ...term, dueThisWeek: term.dueThisWeek.map(due), late: term.late.map(due) },
      findings: findings.map((f) => ({ ...f, expected: kr(f.expectedOre), paid: kr(f.paidOre), difference: kr(f.differenceOre) })),
      imports: imports.map((i) => ({ ...i, created: formatTimestamp(i.createdAt) })),
    });
  }

  private importView(result: PaymentImportDto, lang: Language) {
    const kr = (ore: number) => formatKroner(ore, lang);
    const line = (l: PaymentLineDto) => ({ ...l, paid: kr(l.paidOre), expected: kr(l.expectedOre), difference: kr(l.paidOre - l.expectedOre) });
    return { ...result, paid: result.paid.map(line), unchanged: result.unchanged.map(line), findings: result.findings.map(line) };
  }
}
