import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { ApiScopes, CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { BillingRunDtoDoc, BillingRunQueryDto, StartBillingRunDto, StatementDetailDtoDoc, StatementQueryDto, StatementSummaryDtoDoc } from './billing.dto';
import { BillingRunsService, type BillingRunDto } from './billing-runs.service';
import { StatementsService, type StatementDetailDto, type StatementSummaryDto } from './statements.service';

@ApiTags('billing')
@ApiBearerAuth()
@Roles('finance', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1/billing-runs')
export class BillingRunsController {
  constructor(private readonly runs: BillingRunsService) {}

  @Post()
  @Roles('finance')
  @ApiOperation({ summary: 'Queue a month’s billing run (finance): 202 with the run; while one is going, 200 with that run' })
  @ApiAcceptedResponse({ type: BillingRunDtoDoc })
  @ApiOkResponse({ type: BillingRunDtoDoc, description: 'A run of the month is already going' })
  @ApiErrors(422)
  async start(@Body() body: StartBillingRunDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<BillingRunDto> {
    const { created, run } = await this.runs.start(body.month, body.kind ?? 'build', actor);
    response.status(created ? 202 : 200);
    response.setHeader('Location', `/api/v1/billing-runs/${run.id}`);
    return run;
  }

  @Get()
  @ApiOperation({ summary: 'Recent billing runs, newest first' })
  @ApiOkResponse({ type: [BillingRunDtoDoc] })
  @ApiErrors(422)
  list(@Query() query: BillingRunQueryDto): Promise<BillingRunDto[]> {
    return this.runs.list(query.month);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A run with its progress' })
  @ApiOkResponse({ type: BillingRunDtoDoc })
  @ApiErrors(404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<BillingRunDto> {
    return this.runs.get(id);
  }
}

@ApiTags('billing')
@ApiBearerAuth()
@Roles('finance', 'admin', 'supplier')
// The finance system reads statements with an API token of a service account holding statements:read.
@ApiScopes('statements:read')
@ApiErrors(401, 403)
@Controller('api/v1/statements')
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get()
  @ApiOperation({ summary: 'Statements, newest month first; a supplier sees only its own' })
  @ApiOkResponse({ type: [StatementSummaryDtoDoc] })
  @ApiErrors(422)
  list(@Query() query: StatementQueryDto, @Scope() scope: AccessScope): Promise<StatementSummaryDto[]> {
    return this.statements.list({ ...query, limit: query.limit ?? 100 }, scope);
  }

  @Get(':id.pdf')
  @ApiOperation({ summary: 'The statement as PDF: a final one as stored when it was made final, a draft marked as such' })
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({ description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404)
  async pdf(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { filename, pdf } = await this.statements.pdf(id, scope, actor);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="${filename}"`);
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(pdf);
  }

  @Get(':id.xml')
  @ApiOperation({
    summary: 'A partner company’s final self-billing statement as a self-billed e-invoice: UBL 2.1, InvoiceTypeCode 389 (Peppol BIS self-billing)',
    description: 'Beside its PDF. 409 for a statement that is not self-billed or still a draft; a supplier sees only its own (404 for another’s).',
  })
  @ApiProduces('application/xml', 'application/json')
  @ApiOkResponse({ description: 'The UBL Invoice', content: { 'application/xml': { schema: { type: 'string' } } } })
  @ApiErrors(404, 409)
  async selfBillingXml(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { filename, xml } = await this.statements.selfBillingXml(id, scope, actor);
    response.setHeader('Content-Type', 'application/xml; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    return new StreamableFile(Buffer.from(xml, 'utf8'));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One statement with its lines grouped by grant reference' })
  @ApiOkResponse({ type: StatementDetailDtoDoc })
  @ApiErrors(404)
  get(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<StatementDetailDto> {
    return this.statements.get(id, scope);
  }
}
