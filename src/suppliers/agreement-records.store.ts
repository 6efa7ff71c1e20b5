import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';

export type AgreementHistoryAction = 'edited' | 'extended' | 'terminated';
export type DocumentKind = 'signed_agreement' | 'mentor_contract' | 'other';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['signed_agreement', 'mentor_contract', 'other'];

export interface AgreementHistoryEntry {
  id: string;
  action: AgreementHistoryAction;
  change: Record<string, unknown>;
  actorLabel: string | null;
  recordedAt: string;
}

export interface AgreementDocumentMeta {
  id: string;
  agreementId: string;
  kind: DocumentKind;
  fileName: string;
  contentType: 'application/pdf';
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

export interface SupervisionVisit {
  id: string;
  agreementId: string;
  visitedOn: CalendarDate;
  findings: string;
  followUpOn: CalendarDate | null;
  recordedAt: string;
}

export interface AgreementPenalty {
  id: string;
  agreementId: string;
  imposedOn: CalendarDate;
  amountOre: number;
  reason: string;
  recordedAt: string;
}

export const AGREEMENT_RECORDS_SQL = sqlQueries('suppliers/agreement-records.store', {
  appendHistory: `
    INSERT INTO agreement_history (agreement_id, action, change, actor_id, actor_label) VALUES ($1, $2, $3::jsonb, $4, $5)`,
  history: `
    SELECT id, action, change, actor_label AS "actorLabel", to_char(recorded_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD HH24:MI:SS') AS "recordedAt"
      FROM agreement_history WHERE agreement_id = $1 ORDER BY recorded_at, id`,
  insertDocument: `
    INSERT INTO agreement_document (agreement_id, kind, file_name, content_type, size_bytes, sha256, uploaded_by)
    VALUES ($1, $2, $3, 'application/pdf', $4, $5, $6)
    RETURNING id`,
  documents: `
    SELECT id, agreement_id AS "agreementId", kind, file_name AS "fileName", content_type AS "contentType", size_bytes AS "sizeBytes", sha256,
           to_char(uploaded_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD HH24:MI') AS "uploadedAt"
      FROM agreement_document WHERE agreement_id = $1 ORDER BY uploaded_at, id`,
  document: `
    SELECT id, agreement_id AS "agreementId", kind, file_name AS "fileName", content_type AS "contentType", size_bytes AS "sizeBytes", sha256,
           to_char(uploaded_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD HH24:MI') AS "uploadedAt"
      FROM agreement_document WHERE id = $1 AND agreement_id = $2`,
  putContent: `INSERT INTO agreement_document_content (document_id, content) VALUES ($1, $2)`,
  content: `SELECT content FROM agreement_document_content WHERE document_id = $1`,
  insertVisit: `
    INSERT INTO supervision_visit (agreement_id, visited_on, findings, follow_up_on, recorded_by) VALUES ($1, $2, $3, $4, $5)
    RETURNING id`,
  visits: `
    SELECT id, agreement_id AS "agreementId", visited_on::text AS "visitedOn", findings, follow_up_on::text AS "followUpOn",
           to_char(recorded_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD HH24:MI') AS "recordedAt"
      FROM supervision_visit WHERE agreement_id = $1 ORDER BY visited_on DESC, recorded_at DESC`,
  insertPenalty: `
    INSERT INTO agreement_penalty (agreement_id, imposed_on, amount_ore, reason, recorded_by) VALUES ($1, $2, $3, $4, $5)
    RETURNING id`,
  penalties: `
    SELECT id, agreement_id AS "agreementId", imposed_on::text AS "imposedOn", amount_ore::text AS "amountOre", reason,
           to_char(recorded_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD HH24:MI') AS "recordedAt"
      FROM agreement_penalty WHERE agreement_id = $1 ORDER BY imposed_on DESC, recorded_at DESC`,
});

const Q = AGREEMENT_RECORDS_SQL;

/**
 * Every query on an agreement's records beside its terms: the append-only history of its terms, contract
 * documents (metadata and, for the database document storage, their bytes), supervision visits and penalties.
 */
@Injectable()
export class AgreementRecordsStore {
  async appendHistory(manager: EntityManager, agreementId: string, action: AgreementHistoryAction, change: Record<string, unknown>, actor: { userId: string | null; label: string }): Promise<void> {
    await manager.query(Q.appendHistory, [agreementId, action, JSON.stringify(change), actor.userId, actor.label]);
  }

  history(manager: EntityManager, agreementId: string): Promise<AgreementHistoryEntry[]> {
    return manager.query(Q.history, [agreementId]);
  }

  async insertDocument(manager: EntityManager, values: { agreementId: string; kind: DocumentKind; fileName: string; sizeBytes: number; sha256: string; uploadedBy: string | null }): Promise<string> {
    const rows = (await manager.query(Q.insertDocument, [values.agreementId, values.kind, values.fileName, values.sizeBytes, values.sha256, values.uploadedBy])) as Array<{ id: string }>;
    return rows[0].id;
  }

  documents(manager: EntityManager, agreementId: string): Promise<AgreementDocumentMeta[]> {
    return manager.query(Q.documents, [agreementId]);
  }

  async document(manager: EntityManager, agreementId: string, documentId: string): Promise<AgreementDocumentMeta | null> {
    const rows = (await manager.query(Q.document, [documentId, agreementId])) as AgreementDocumentMeta[];
    return rows[0] ?? null;
  }

  async putContent(manager: EntityManager, documentId: string, content: Buffer): Promise<void> {
    await manager.query(Q.putContent, [documentId, content]);
  }

  async content(manager: EntityManager, documentId: string): Promise<Buffer | null> {
    const rows = (await manager.query(Q.content, [documentId])) as Array<{ content: Buffer }>;
    return rows[0]?.content ?? null;
  }

  async insertVisit(manager: EntityManager, values: { agreementId: string; visitedOn: CalendarDate; findings: string; followUpOn: CalendarDate | null; recordedBy: string | null }): Promise<string> {
    const rows = (await manager.query(Q.insertVisit, [values.agreementId, values.visitedOn, values.findings, values.followUpOn, values.recordedBy])) as Array<{ id: string }>;
    return rows[0].id;
  }

  visits(manager: EntityManager, agreementId: string): Promise<SupervisionVisit[]> {
    return manager.query(Q.visits, [agreementId]);
  }

  async insertPenalty(manager: EntityManager, values: { agreementId: string; imposedOn: CalendarDate; amountOre: number; reason: string; recordedBy: string | null }): Promise<string> {
    const rows = (await manager.query(Q.insertPenalty, [values.agreementId, values.imposedOn, values.amountOre, values.reason, values.recordedBy])) as Array<{ id: string }>;
    return rows[0].id;
  }

  async penalties(manager: EntityManager, agreementId: string): Promise<AgreementPenalty[]> {
    const rows = (await manager.query(Q.penalties, [agreementId])) as Array<Omit<AgreementPenalty, 'amountOre'> & { amountOre: string }>;
    return rows.map((row) => ({ ...row, amountOre: readOre(row.amountOre) }));
  }
}
