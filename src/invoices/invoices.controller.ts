import { pageRequest, searchText } from '../common/web/list-query';
import { INVOICE_SORTS } from './invoice.store';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { DomainException } from '../common/errors/domain.exception';
import { apiLanguage } from '../common/web/page-context';
import { HourRegistrationsService } from './hour-registrations.service';
import { InvoiceIntake } from './invoice-intake';
import { InvoiceReviewService } from './invoice-review.service';
import {
  ApproveInvoiceDto,
  CreateHourRegistrationDto,
  CreateInvoiceDto,
  HourRegistrationMonthDto,
  InvoiceDto,
  InvoicePageDto,
  InvoiceQueryDto,
  RejectInvoiceDto,
} from './invoices.dto';
import { InvoicesService } from './invoices.service';
import { BusinessResponsesService } from './business-responses.service';
import { InvoiceDisputesService, type InvoiceThreadDto } from './invoice-disputes.service';
import { InvoiceHoldsService } from './invoice-holds.service';
import { AnswerFindingDto, HoldInvoiceDto, InvoiceThreadDtoDoc, ReplyDisputeDto, ResolveDisputeDto, ResponseQueryDto } from './invoice-thread.dto';

@ApiTags('invoices')
@ApiBearerAuth()
@Roles('supplier', 'finance', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1/invoices')
export class InvoicesController {
  constructor(
    private readonly intake: InvoiceIntake,
    private readonly invoices: InvoicesService,
    private readonly review: InvoiceReviewService,
    private readonly holds: InvoiceHoldsService,
    private readonly disputes: InvoiceDisputesService,
    private readonly responses: BusinessResponsesService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Submit an invoice or credit note: JSON, text/csv (lines; ?invoiceNumber=&issueDate=) or UBL XML (Peppol BIS 3, OIOUBL 2.1)',
    description:
      'Every line is validated against the grant and agreement. 201 with the invoice and its findings; the same invoice sent again answers 200 with the stored one; the same number with other content is 409. CSV columns: grant_reference|bevilling, date|dato, minutes|minutter, rate|timepris (kr.), amount|beløb, contact_form|kontaktform, transport, description|beskrivelse; ";" or ",", decimal comma accepted.',
  })
  @ApiConsumes('application/json', 'text/csv', 'application/xml')
  @ApiBody({ type: CreateInvoiceDto })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiOkResponse({ type: InvoiceDto, description: 'The same invoice was received before' })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  async submit(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Query() query: Record<string, unknown>, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    const submission = await this.intake.read(request.headers['content-type'], request.body, query, apiLanguage(request));
    if (scope.isSupplier && submission.supplierId !== null && submission.supplierId !== scope.supplierId) throw DomainException.notFound('Supplier');
    const result = await this.invoices.submit(submission.invoice, submission.supplierId, scope, actor);
    response.status(result.created ? 201 : 200);
    return result.invoice;
  }

  @Get()
  @ApiOperation({ summary: 'Invoices, newest first with a keyset cursor, or as finance’s inbox (errors first, then warnings); with q, sort or cursor searched, sorted and paged by cursor; a supplier sees only its own' })
  @ApiOkResponse({ type: InvoicePageDto })
  @ApiErrors(422)
  list(@Query() query: InvoiceQueryDto, @Scope() scope: AccessScope): Promise<InvoicePageDto> {
    if (query.q !== undefined || query.sort !== undefined || query.cursor !== undefined || query.dir !== undefined) {
      const wanted = pageRequest(query, INVOICE_SORTS, { sort: query.order === 'inbox' ? 'findings' : 'date' });
      return this.invoices.search({ q: searchText(query.q), status: query.status ?? null, supplierId: query.supplierId ?? null }, wanted, scope);
    }
    return this.invoices.list({ ...query, limit: query.limit ?? 50 }, scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One invoice with its lines and findings' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrors(404)
  get(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<InvoiceDto> {
    return this.invoices.get(id, scope);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Approve the approvable amounts (finance; not the submitter; a second approver above the rule set’s threshold)' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrors(404, 409, 422)
  approve(@Param('id', ParseUUIDPipe) id: string, @Body() body: ApproveInvoiceDto, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    return this.review.approve(id, actor, body.expectedApprovableOre);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Reject with a reason the supplier sees (finance)' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrors(404, 409, 422)
  reject(@Param('id', ParseUUIDPipe) id: string, @Body() body: RejectInvoiceDto, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    return this.review.reject(id, body.reason, actor);
  }

  @Post(':id/hold')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Hold an invoice (validated, approved or partly approved, not yet billed) with a reason and a release date; a held invoice is not billed (finance)' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrors(404, 409, 422)
  hold(@Param('id', ParseUUIDPipe) id: string, @Body() body: HoldInvoiceDto, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    return this.holds.hold(id, body, actor);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Release a held invoice: it returns to the state it was held from, and its approved sessions go on the next statement (finance)' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrors(404, 409)
  release(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    return this.holds.release(id, actor);
  }

  @Get(':id/thread')
  @ApiOperation({ summary: 'The hold, the answers to findings line by line, the thread between supplier and finance and the latest business response' })
  @ApiOkResponse({ type: InvoiceThreadDtoDoc })
  @ApiErrors(404)
  thread(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<InvoiceThreadDto> {
    return this.disputes.thread(id, scope);
  }

  @Post(':id/lines/:lineNo/answer')
  @HttpCode(200)
  @Roles('supplier')
  @ApiOperation({ summary: 'The supplier answers a line’s findings once: accept, or dispute with a comment (before the invoice is decided)' })
  @ApiOkResponse({ type: InvoiceThreadDtoDoc })
  @ApiErrors(404, 409, 422)
  answer(@Param('id', ParseUUIDPipe) id: string, @Param('lineNo', ParseIntPipe) lineNo: number, @Body() body: AnswerFindingDto, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<InvoiceThreadDto> {
    return this.disputes.answer(id, lineNo, body, scope, actor);
  }

  @Post(':id/lines/:lineNo/reply')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Finance answers a disputed line in the thread; the supplier is told (finance)' })
  @ApiOkResponse({ type: InvoiceThreadDtoDoc })
  @ApiErrors(404, 409, 422)
  reply(@Param('id', ParseUUIDPipe) id: string, @Param('lineNo', ParseIntPipe) lineNo: number, @Body() body: ReplyDisputeDto, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<InvoiceThreadDto> {
    return this.disputes.reply(id, lineNo, body.comment, scope, actor);
  }

  @Post(':id/lines/:lineNo/resolve')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Resolve a disputed line: approved, rejected, or by the supplier’s replacement invoice or credit note (finance); approving or rejecting the invoice resolves every open dispute' })
  @ApiOkResponse({ type: InvoiceThreadDtoDoc })
  @ApiErrors(404, 409, 422)
  resolve(@Param('id', ParseUUIDPipe) id: string, @Param('lineNo', ParseIntPipe) lineNo: number, @Body() body: ResolveDisputeDto, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<InvoiceThreadDto> {
    return this.disputes.resolve(id, lineNo, body, scope, actor);
  }

  @Get(':id/response.xml')
  @ApiOperation({ summary: 'The latest business response to a received e-invoice: Peppol BIS Invoice Response 3 (default) or OIOUBL (?format=oioubl), a UBL 2.1 ApplicationResponse; 404 when none is generated yet' })
  @ApiProduces('application/xml', 'application/json')
  @ApiOkResponse({ description: 'The ApplicationResponse document', content: { 'application/xml': { schema: { type: 'string' } } } })
  @ApiErrors(404, 422)
  async response(@Param('id', ParseUUIDPipe) id: string, @Query() query: ResponseQueryDto, @Scope() scope: AccessScope, @Res() response: Response): Promise<void> {
    const format = query.format ?? 'peppol';
    const found = await this.responses.latestXml(id, format, scope);
    response.setHeader('Content-Type', 'application/xml; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="response-${format}-${found.invoiceNumber.replace(/[^A-Za-z0-9._-]/g, '_')}.xml"`);
    response.send(found.xml);
  }
}

@ApiTags('invoices')
@ApiBearerAuth()
@Roles('supplier')
@ApiErrors(401, 403)
@Controller('api/v1/hour-registrations')
export class HourRegistrationsController {
  constructor(private readonly registrations: HourRegistrationsService) {}

  @Post()
  @ApiOperation({ summary: 'Register a session on one of the partner company’s grants; it joins the month’s self-billing draft, validated like an invoice line' })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiErrors(404, 409, 422)
  register(@Body() body: CreateHourRegistrationDto, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    return this.registrations.register(body, scope, actor);
  }

  @Get(':month')
  @ApiOperation({ summary: 'The month’s self-billing draft (or submitted invoice) with its registrations' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrors(404, 422)
  async month(@Param() params: HourRegistrationMonthDto, @Scope() scope: AccessScope): Promise<InvoiceDto> {
    const invoice = await this.registrations.month(params.month, scope);
    if (!invoice) throw DomainException.notFound('Self-billing draft');
    return invoice;
  }

  @Post(':month/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit the month’s registrations as a self-billing invoice for finance to approve' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrors(409, 422)
  submit(@Param() params: HourRegistrationMonthDto, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    return this.registrations.submit(params.month, scope, actor);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a registration while its month is a draft' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    return this.registrations.remove(id, scope, actor);
  }
}
