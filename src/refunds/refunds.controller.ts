import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ExportQueryDto, exportShape } from '../common/export/export-query.dto';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { IsCalendarDateField } from '../common/time/calendar-date.validator';
import { CLAIM_LINE_PAGE, RefundClaimsService, type RefundClaimDto } from './refund-claims.service';

export class RequestRefundClaimDto {
  @ApiProperty({ example: '2026-01-01', format: 'date' }) @IsCalendarDateField() from: string;
  @ApiProperty({ example: '2026-03-31', format: 'date' }) @IsCalendarDateField() to: string;
}

export class RefundClaimLinesQueryDto {
  @ApiPropertyOptional({ default: 0, description: 'The first line, counted from 0: the nextOffset of the previous page' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
  @ApiPropertyOptional({ default: CLAIM_LINE_PAGE, maximum: 200, description: 'How many lines' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class RefundClaimDtoDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ enum: ['queued', 'computing', 'draft', 'submitted', 'failed'] }) status: string;
  @ApiProperty() expenseOre: number;
  @ApiProperty() claimedOre: number;
  @ApiProperty({ nullable: true }) error: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'Once computed: totals, frames, and one page of the lines by year, refund category, rate and account code (lines, lineCount, offset, nextOffset); the exports hold every line',
  })
  claim: Record<string, unknown> | null;
}

@ApiTags('refunds')
@ApiBearerAuth()
@Roles('finance', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1/refund-claims')
export class RefundClaimsController {
  constructor(private readonly claims: RefundClaimsService) {}

  @Post()
  @HttpCode(202)
  @Roles('finance')
  @ApiOperation({ summary: 'Queue a refund claim for a period (finance): approved expenses excl. VAT by refund category, the frame’s cap applied' })
  @ApiAcceptedResponse({ type: RefundClaimDtoDoc })
  @ApiErrors(422)
  request(@Body() body: RequestRefundClaimDto, @CurrentActor() actor: Actor): Promise<RefundClaimDto> {
    return this.claims.request(body.from, body.to, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Recent refund claims' })
  @ApiOkResponse({ type: [RefundClaimDtoDoc] })
  list(): Promise<RefundClaimDto[]> {
    return this.claims.list();
  }

  @Get(':id.pdf')
  @ApiOperation({ summary: 'The claim as PDF' })
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({ description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404, 409)
  pdf(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send(id, 'pdf', response);
  }

  @Get(':id/export.csv')
  @ApiOperation({ summary: 'The claim’s lines as CSV (; separated, UTF-8 with BOM; formulas neutralised): for people with period, labels, kroner and totals, or the machine table with ?format=raw' })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The CSV', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors(404, 409)
  csv(@Param('id', ParseUUIDPipe) id: string, @Query() query: ExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send(id, 'csv', response, query);
  }

  @Get(':id/export.xlsx')
  @ApiOperation({ summary: 'The claim’s lines as an XLSX workbook: for people (kroner in #,##0.00, a totals row), or the machine table with ?format=raw' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json')
  @ApiOkResponse({ description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404, 409)
  xlsx(@Param('id', ParseUUIDPipe) id: string, @Query() query: ExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send(id, 'xlsx', response, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A claim with its totals, frames and a page of its lines (the first 50, or `offset` and `limit` up to 200)' })
  @ApiOkResponse({ type: RefundClaimDtoDoc })
  @ApiErrors(404, 422)
  get(@Param('id', ParseUUIDPipe) id: string, @Query() query: RefundClaimLinesQueryDto): Promise<RefundClaimDto> {
    return this.claims.get(id, { offset: query.offset ?? 0, limit: query.limit ?? CLAIM_LINE_PAGE });
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Submit a draft claim as it was computed (finance); it is frozen from then on. 409 while it is computed, for a second submit, and when the frame moved since it was computed (it is then computed again)' })
  @ApiOkResponse({ type: RefundClaimDtoDoc })
  @ApiErrors(404, 409)
  submit(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<RefundClaimDto> {
    return this.claims.submit(id, actor);
  }

  private async send(id: string, format: 'csv' | 'xlsx' | 'pdf', response: Response, query: ExportQueryDto = {}): Promise<StreamableFile> {
    const shape = exportShape(query);
    const file = await this.claims.export(id, format, shape.lang, shape.raw);
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', `${format === 'pdf' ? 'inline' : 'attachment'}; filename="${file.filename}"`);
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body);
  }
}
