import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { ApiScopes, CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import {
  PaymentFindingDoc,
  PaymentImportDoc,
  PaymentImportQueryDto,
  PaymentImportSummaryDoc,
  PaymentTermDoc,
  PostingExportDoc,
  PostingExportFileDoc,
  PostingExportQueryDto,
  PostingFileQueryDto,
  type PostingFormat,
} from './postings.dto';
import { PaymentsService, type PaymentFindingDto, type PaymentImportDto, type PaymentImportSummaryDto, type PaymentTermDto } from './payments.service';
import { PostingsService, type PostingExportDto, type PostingExportFile } from './postings.service';

function wantsCsv(format: PostingFormat | undefined, request: Request): boolean {
  if (format !== undefined) return format === 'csv';
  return /\btext\/csv\b/.test(request.headers.accept ?? '');
}

/** The stored bytes as they are: JSON is sent as stored text, never re-serialised, so a re-export is the same file. */
function send(file: PostingExportFile, csv: boolean, response: Response): StreamableFile {
  const name = `posteringer-${file.exportId ?? 'tom'}`;
  if (file.exportId) response.setHeader('X-Posting-Export-Id', file.exportId);
  response.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  response.setHeader('Content-Disposition', `${csv ? 'attachment' : 'inline'}; filename="${name}.${csv ? 'csv' : 'json'}"`);
  return new StreamableFile(Buffer.from(csv ? file.csv : file.json, 'utf8'));
}

@ApiTags('billing')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/v1/postings')
export class PostingsController {
  constructor(private readonly postings: PostingsService) {}

  @Get()
  @Roles('finance')
  // The finance system fetches the postings with an API token of a service account holding postings:read.
  @ApiScopes('postings:read')
  @ApiOperation({
    summary: 'Export the postings of final statements not exported yet (finance, the finance system): those dated in a period, or one statement',
    description:
      'One line per account posting: function 5.68.90 with its grouping, dranst and art, the supplier’s CVR and EAN, the statement number and the amount in øre; VAT separately, one line per rate on the VAT account. Each statement is exported once: the answer has an export id (header X-Posting-Export-Id) and is stored, so GET /api/v1/postings/exports/:id gives the same file byte for byte. With nothing left to export the answer has no id and no lines. JSON by default; CSV (";", UTF-8 with BOM) with format=csv or Accept: text/csv.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PostingExportFileDoc })
  @ApiErrors(409, 422)
  async export(@Query() query: PostingExportQueryDto, @Req() request: Request, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const file = await this.postings.export({ from: query.from, to: query.to, statementId: query.statementId }, actor);
    return send(file, wantsCsv(query.format, request), response);
  }

  @Get('exports')
  @Roles('finance', 'admin')
  @ApiScopes('postings:read')
  @ApiOperation({ summary: 'Recent posting exports, newest first' })
  @ApiOkResponse({ type: [PostingExportDoc] })
  exports(): Promise<PostingExportDto[]> {
    return this.postings.recent();
  }

  @Get('exports/:id')
  @Roles('finance', 'admin')
  @ApiScopes('postings:read')
  @ApiOperation({ summary: 'An export again: the same file, byte for byte, as it was exported (JSON or CSV)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PostingExportFileDoc })
  @ApiErrors(404, 422)
  async file(@Param('id', ParseUUIDPipe) id: string, @Query() query: PostingFileQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return send(await this.postings.file(id), wantsCsv(query.format, request), response);
  }
}

@ApiTags('billing')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('import')
  @Roles('finance')
  @ApiScopes('payments:write')
  @ApiOperation({
    summary: 'Import the finance system’s payment file: final statements and their invoices marked paid (finance, the finance system)',
    description:
      'text/csv with the columns statement_number|afregningsnummer, paid_amount|beløb (kroner, 1234,56) and paid_on|betalingsdato (YYYY-MM-DD), ";" or ",". At most 256 KiB and 5,000 rows. A file with any problem is refused whole (422, a detail per row and field, in the language asked for). A statement paid with its total becomes paid, with its invoices, and its supplier is told; the same file again changes nothing (alreadyImported, the earlier import\'s id); an amount that differs marks nothing and is a finding for finance. ?preview=true answers what the file would do and stores nothing.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'statement_number;paid_amount;paid_on\r\nAF-2026-000001;1828,13;2026-11-20\r\n' } })
  @ApiCreatedResponse({ type: PaymentImportDoc, description: 'The file was applied and its import stored' })
  @ApiOkResponse({ type: PaymentImportDoc, description: 'A preview, or the same file imported before (nothing changed)' })
  @ApiErrors(409, 413, 415, 422)
  async import(@Body() body: unknown, @Query() query: PaymentImportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<PaymentImportDto> {
    if (typeof body !== 'string') throw new UnsupportedMediaTypeException('Send the payment file as text/csv');
    const file = { text: body, bytes: Buffer.byteLength(body, 'utf8'), filename: query.filename ?? null };
    const result = query.preview === 'true' ? await this.payments.preview(file) : await this.payments.import(file, actor, query.expectedSha256);
    response.status(result.applied ? 201 : 200);
    return result;
  }

  @Get('imports')
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'Recent payment imports, newest first' })
  @ApiOkResponse({ type: [PaymentImportSummaryDoc] })
  imports(): Promise<PaymentImportSummaryDto[]> {
    return this.payments.imports();
  }

  @Get('findings')
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'Payments that differ from their statement (the amount, or a paid statement paid again otherwise), newest first' })
  @ApiOkResponse({ type: [PaymentFindingDoc] })
  findings(): Promise<PaymentFindingDto[]> {
    return this.payments.findings();
  }

  @Get('due')
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'The 30-day payment term: final statements not paid that fall due this week (today to Sunday), and those that are late' })
  @ApiOkResponse({ type: PaymentTermDoc })
  due(): Promise<PaymentTermDto> {
    return this.payments.paymentTerm();
  }
}
