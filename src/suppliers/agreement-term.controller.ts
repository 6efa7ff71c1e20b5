import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainException } from '../common/errors/domain.exception';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import {
  AgreementDocumentDto,
  AgreementHistoryDto,
  AgreementKpisDto,
  CommitmentUseAnswerDto,
  CommitmentUseQueryDto,
  CreatePenaltyDto,
  CreateSupervisionVisitDto,
  PenaltyDto,
  SupervisionVisitDto,
  TerminateAgreementDto,
  TerminateQueryDto,
  TerminationResultDto,
  UploadDocumentDto,
} from './agreements.dto';
import { AgreementRecordsService } from './agreement-records.service';
import { AgreementTermService } from './agreement-term.service';
import { AgreementsService } from './agreements.service';
import { tooLarge } from './contract-document.rules';
import { DocumentUploadInterceptor, uploadedDocument } from './document-upload.middleware';

/** An agreement's term (history, termination) and its records (contract documents, supervision visits, penalties). */
@ApiTags('agreements')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/v1/agreements')
export class AgreementTermController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly term: AgreementTermService,
    private readonly records: AgreementRecordsService,
  ) {}

  @Get(':id/history')
  @ApiOperation({ summary: 'The changes to the agreement’s terms (edits, extensions, termination), oldest first; same visibility as the agreement' })
  @ApiOkResponse({ type: [AgreementHistoryDto] })
  @ApiErrors(404)
  async history(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<AgreementHistoryDto[]> {
    await this.agreements.get(id, scope);
    return this.term.history(id);
  }

  @Get(':id/commitment-use')
  @ApiOperation({ summary: 'A committed-volume agreement’s use in the commitment period (month, quarter or year) a day lies in: minutes committed, delivered and left; same visibility as the agreement' })
  @ApiOkResponse({ type: CommitmentUseAnswerDto })
  @ApiErrors(404, 422)
  async commitmentUse(@Param('id', ParseUUIDPipe) id: string, @Query() query: CommitmentUseQueryDto, @Scope() scope: AccessScope): Promise<CommitmentUseAnswerDto> {
    const agreement = await this.agreements.get(id, scope);
    return { commitment: await this.term.commitmentUse(agreement, query.on) };
  }

  @Get(':id/kpis')
  @ApiOperation({ summary: 'The agreement’s KPIs measured from the data: share of grant-weeks with contact, share of progress reports on time; same visibility as the agreement' })
  @ApiOkResponse({ type: AgreementKpisDto })
  @ApiErrors(404)
  async kpis(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<AgreementKpisDto> {
    await this.agreements.get(id, scope);
    return this.term.kpis(id);
  }

  @Post(':id/terminate')
  @Roles('procurement', 'admin')
  @ApiOperation({
    summary:
      'Terminate the agreement from terminatedOn (its last day) with a reason; no grant may start after it. With ?preview=true (200) the running grants are listed and nothing is stored; without, it is terminated (201). A date before the start or after the end is 422; an agreement already terminated 409 (procurement, admin)',
  })
  @ApiCreatedResponse({ type: TerminationResultDto })
  @ApiOkResponse({ type: TerminationResultDto, description: 'The preview' })
  @ApiErrors(403, 404, 409, 422)
  async terminate(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: TerminateQueryDto,
    @Body() body: TerminateAgreementDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TerminationResultDto> {
    if (query.preview === 'true') {
      response.status(200);
      return { applied: false, ...(await this.term.previewTermination(id, body.terminatedOn, actor)) };
    }
    return { applied: true, ...(await this.term.terminate(id, body, actor)) };
  }

  @Get(':id/documents')
  @ApiOperation({ summary: 'The agreement’s contract documents (metadata and SHA-256); same visibility as the agreement' })
  @ApiOkResponse({ type: [AgreementDocumentDto] })
  @ApiErrors(404)
  documents(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<AgreementDocumentDto[]> {
    return this.records.documents(id, scope);
  }

  @Post(':id/documents')
  @Roles('procurement', 'admin')
  @UseInterceptors(DocumentUploadInterceptor)
  @ApiOperation({ summary: 'Attach a PDF (multipart/form-data, fields `file` and `kind`): at most 5 MiB, starting with %PDF- and readable as a PDF, stored with its SHA-256 (procurement, admin)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file', 'kind'], properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: ['signed_agreement', 'mentor_contract', 'other'] } } } })
  @ApiCreatedResponse({ type: AgreementDocumentDto })
  @ApiErrors(403, 404, 422)
  async upload(@Param('id', ParseUUIDPipe) id: string, @Body() body: UploadDocumentDto, @Req() request: Request, @CurrentActor() actor: Actor): Promise<AgreementDocumentDto> {
    const upload = uploadedDocument(request);
    if (upload.tooLarge) throw DomainException.rule('The document cannot be attached', [tooLarge()]);
    return this.records.upload(id, { kind: body.kind, fileName: upload.fileName, content: upload.content }, actor);
  }

  @Get(':id/documents/:documentId')
  @ApiOperation({ summary: 'The document’s bytes, checked against its SHA-256 (sent as the header X-Content-SHA256); same visibility as the agreement' })
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({ description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404)
  async download(@Param('id', ParseUUIDPipe) id: string, @Param('documentId', ParseUUIDPipe) documentId: string, @Scope() scope: AccessScope, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { document, content } = await this.records.download(id, documentId, scope);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `attachment; filename="${document.fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`);
    response.setHeader('X-Content-SHA256', document.sha256);
    response.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(content);
  }

  @Get(':id/supervision-visits')
  @ApiOperation({ summary: 'Supervision visits (tilsyn) of the agreement, latest first; same visibility as the agreement' })
  @ApiOkResponse({ type: [SupervisionVisitDto] })
  @ApiErrors(404)
  visits(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<SupervisionVisitDto[]> {
    return this.records.visits(id, scope);
  }

  @Post(':id/supervision-visits')
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Record a supervision visit with its findings and a follow-up date on or after it (procurement, admin)' })
  @ApiCreatedResponse({ type: SupervisionVisitDto })
  @ApiErrors(403, 404, 422)
  recordVisit(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateSupervisionVisitDto, @CurrentActor() actor: Actor): Promise<SupervisionVisitDto> {
    return this.records.recordVisit(id, body, actor);
  }

  @Get(':id/penalties')
  @ApiOperation({ summary: 'Penalties recorded against the agreement, latest first; same visibility as the agreement' })
  @ApiOkResponse({ type: [PenaltyDto] })
  @ApiErrors(404)
  penalties(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<PenaltyDto[]> {
    return this.records.penalties(id, scope);
  }

  @Post(':id/penalties')
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Record a penalty in øre against the agreement, with the day and the reason (procurement, admin)' })
  @ApiCreatedResponse({ type: PenaltyDto })
  @ApiErrors(403, 404, 422)
  recordPenalty(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreatePenaltyDto, @CurrentActor() actor: Actor): Promise<PenaltyDto> {
    return this.records.recordPenalty(id, body, actor);
  }
}
