import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PDFDocument } from 'pdf-lib';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { AgreementRecordsStore, type AgreementDocumentMeta, type AgreementPenalty, type DocumentKind, type SupervisionVisit } from './agreement-records.store';
import { AgreementStore } from './agreement.store';
import { checkDocumentBytes, cleanFileName, notPdf } from './contract-document.rules';
import { DocumentStorage } from './document-storage';
import { SuppliersErrorCode } from './suppliers.errors';

export interface UploadDocumentCommand {
  kind: DocumentKind;
  fileName: string | undefined;
  content: Buffer | null | undefined;
}

export interface SupervisionVisitCommand {
  visitedOn: CalendarDate;
  findings: string;
  followUpOn?: CalendarDate | null;
}

export interface PenaltyCommand {
  imposedOn: CalendarDate;
  amountOre: number;
  reason: string;
}

/**
 * What is kept about an agreement beside its terms: contract documents (signed PDFs, the standard mentor
 * contract) with their SHA-256, supervision visits (tilsyn) and penalties. A supplier reads its own agreement's
 * documents; another's agreement is not found.
 */
@Injectable()
export class AgreementRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly agreements: AgreementStore,
    private readonly records: AgreementRecordsStore,
    private readonly storage: DocumentStorage,
  ) {}

  async documents(agreementId: string, scope: AccessScope): Promise<AgreementDocumentMeta[]> {
    await this.visibleAgreement(agreementId, scope);
    return this.records.documents(this.dataSource.manager, agreementId);
  }

  /** The document and its bytes, checked against the SHA-256 taken when it was stored. */
  async download(agreementId: string, documentId: string, scope: AccessScope): Promise<{ document: AgreementDocumentMeta; content: Buffer }> {
    await this.visibleAgreement(agreementId, scope);
    const document = await this.records.document(this.dataSource.manager, agreementId, documentId);
    const content = document ? await this.storage.get(this.dataSource.manager, documentId) : null;
    if (!document || !content) throw DomainException.notFound('Document');
    if (sha256(content) !== document.sha256) throw new Error(`document ${documentId} does not match its stored SHA-256`);
    return { document, content };
  }

  /** Stores a PDF: at most the size limit, starting with %PDF- and parsed whole; the metadata and bytes in one transaction. */
  async upload(agreementId: string, command: UploadDocumentCommand, actor: Actor): Promise<AgreementDocumentMeta> {
    const problems = checkDocumentBytes(command.content);
    if (problems.length > 0) throw DomainException.rule('The document cannot be attached', problems);
    const content = command.content as Buffer;
    let pages: number;
    try {
      pages = (await PDFDocument.load(content, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true })).getPageCount();
    } catch (error) {
      throw DomainException.rule('The document cannot be attached', [notPdf(error instanceof Error ? error.message.slice(0, 200) : 'it cannot be read')]);
    }
    if (pages === 0) throw DomainException.rule('The document cannot be attached', [notPdf('it has no pages')]);
    const fileName = cleanFileName(command.fileName);
    const digest = sha256(content);
    const id = await this.dataSource.transaction(async (manager) => {
      if (!(await this.agreements.findById(manager, agreementId))) throw DomainException.notFound('Agreement');
      const documentId = await this.records.insertDocument(manager, { agreementId, kind: command.kind, fileName, sizeBytes: content.length, sha256: digest, uploadedBy: actor.userId });
      await this.storage.put(manager, documentId, content);
      await this.audit.record(manager, actor, { action: 'agreement_document.attached', entityType: 'agreement', entityId: agreementId, change: { documentId, kind: command.kind, fileName, sizeBytes: content.length, sha256: digest } });
      return documentId;
    });
    return (await this.records.document(this.dataSource.manager, agreementId, id)) as AgreementDocumentMeta;
  }

  async visits(agreementId: string, scope: AccessScope): Promise<SupervisionVisit[]> {
    await this.visibleAgreement(agreementId, scope);
    return this.records.visits(this.dataSource.manager, agreementId);
  }

  async recordVisit(agreementId: string, command: SupervisionVisitCommand, actor: Actor): Promise<SupervisionVisit> {
    const followUpOn = command.followUpOn ?? null;
    if (followUpOn !== null && compareDates(followUpOn, command.visitedOn) < 0) {
      throw DomainException.rule('The supervision visit cannot be recorded', [
        { field: 'followUpOn', rule: SuppliersErrorCode.FollowUpBeforeVisit, message: `the follow-up date ${followUpOn} lies before the visit on ${command.visitedOn}`, values: { followUpOn, visitedOn: command.visitedOn } },
      ]);
    }
    const findings = command.findings.trim();
    const id = await this.dataSource.transaction(async (manager) => {
      if (!(await this.agreements.findById(manager, agreementId))) throw DomainException.notFound('Agreement');
      const visitId = await this.records.insertVisit(manager, { agreementId, visitedOn: command.visitedOn, findings, followUpOn, recordedBy: actor.userId });
      await this.audit.record(manager, actor, { action: 'supervision_visit.recorded', entityType: 'agreement', entityId: agreementId, change: { visitId, visitedOn: command.visitedOn, findings, followUpOn } });
      return visitId;
    });
    return (await this.records.visits(this.dataSource.manager, agreementId)).find((visit) => visit.id === id) as SupervisionVisit;
  }

  async penalties(agreementId: string, scope: AccessScope): Promise<AgreementPenalty[]> {
    await this.visibleAgreement(agreementId, scope);
    return this.records.penalties(this.dataSource.manager, agreementId);
  }

  async recordPenalty(agreementId: string, command: PenaltyCommand, actor: Actor): Promise<AgreementPenalty> {
    const reason = command.reason.trim();
    const id = await this.dataSource.transaction(async (manager) => {
      if (!(await this.agreements.findById(manager, agreementId))) throw DomainException.notFound('Agreement');
      const penaltyId = await this.records.insertPenalty(manager, { agreementId, imposedOn: command.imposedOn, amountOre: command.amountOre, reason, recordedBy: actor.userId });
      await this.audit.record(manager, actor, { action: 'agreement_penalty.recorded', entityType: 'agreement', entityId: agreementId, change: { penaltyId, imposedOn: command.imposedOn, amountOre: command.amountOre, reason } });
      return penaltyId;
    });
    return (await this.records.penalties(this.dataSource.manager, agreementId)).find((penalty) => penalty.id === id) as AgreementPenalty;
  }

  private async visibleAgreement(agreementId: string, scope: AccessScope): Promise<void> {
    const agreement = await this.agreements.findById(this.dataSource.manager, agreementId);
    if (!agreement || !scope.canSee(agreement.supplierId)) throw DomainException.notFound('Agreement');
  }
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
