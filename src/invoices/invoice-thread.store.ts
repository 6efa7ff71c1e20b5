import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import type { CalendarDate } from '../common/time/calendar-date';
import { answerTransitionProblem, holdTransitionProblem, type AnswerStatus, type Resolution } from './invoice-hold.rules';

export interface HoldRow {
  id: string;
  invoiceId: string;
  supplierId: string;
  status: 'active' | 'released';
  reason: string;
  releaseOn: CalendarDate;
  heldAt: Date;
  releasedAt: Date | null;
  releaseKind: 'manual' | 'automatic' | null;
}

export interface AnswerRow {
  id: string;
  invoiceId: string;
  lineNo: number;
  status: AnswerStatus;
  resolution: Resolution | null;
}

export type ThreadKind = 'held' | 'released' | 'accepted' | 'disputed' | 'answered' | 'resolved';

export interface ThreadEntryRow {
  id: string;
  lineNo: number | null;
  kind: ThreadKind;
  side: 'supplier' | 'finance' | 'system';
  comment: string | null;
  createdAt: Date;
}

export interface NewThreadEntry {
  invoiceId: string;
  supplierId: string;
  lineNo: number | null;
  kind: ThreadKind;
  authorUserId: string | null;
  side: 'supplier' | 'finance' | 'system';
  comment: string | null;
}

export const INVOICE_THREAD_SQL = sqlQueries('invoices/invoice-thread.store', {
  activeHold: `
    SELECT id, invoice_id, supplier_id, status, reason, release_on::text AS release_on, held_at, released_at, release_kind
      FROM invoice_hold WHERE invoice_id = $1 AND status = 'active'`,
  holdsOf: `
    SELECT id, invoice_id, supplier_id, status, reason, release_on::text AS release_on, held_at, released_at, release_kind
      FROM invoice_hold WHERE invoice_id = $1 ORDER BY held_at`,
  insertHold: `INSERT INTO invoice_hold (invoice_id, supplier_id, status, reason, release_on, held_by) VALUES ($1, $2, 'active', $3, $4, $5) RETURNING id`,
  // The transition active → released, from the state in $2.
  toReleased: `UPDATE invoice_hold SET status = 'released', released_by = $3, released_at = now(), release_kind = $4 WHERE id = $1 AND status = $2`,
  // Active holds whose release date has come: the invoices the release job releases.
  dueHolds: `SELECT invoice_id FROM invoice_hold WHERE status = 'active' AND release_on <= $1 ORDER BY release_on, invoice_id LIMIT $2`,
  answersOf: `SELECT id, invoice_id, line_no, status, resolution FROM finding_answer WHERE invoice_id = $1 ORDER BY line_no`,
  insertAnswer: `
    INSERT INTO finding_answer (invoice_id, supplier_id, line_no, status, answered_by) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT ON CONSTRAINT finding_answer_once DO NOTHING RETURNING id`,
  // The transition disputed → resolved of one line, or of every disputed line of the invoice ($2 null).
  toResolved: `
    UPDATE finding_answer SET status = 'resolved', resolution = $4, resolved_by = $5, resolved_at = now()
     WHERE invoice_id = $1 AND ($2::int IS NULL OR line_no = $2) AND status = $3 RETURNING line_no`,
  insertEntry: `
    INSERT INTO invoice_thread_entry (invoice_id, supplier_id, line_no, kind, author_user_id, author_side, comment)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  thread: `SELECT id, line_no, kind, author_side, comment, created_at FROM invoice_thread_entry WHERE invoice_id = $1 ORDER BY seq`,
});

const Q = INVOICE_THREAD_SQL;

interface HoldRecord {
  id: string;
  invoice_id: string;
  supplier_id: string;
  status: 'active' | 'released';
  reason: string;
  release_on: string;
  held_at: Date;
  released_at: Date | null;
  release_kind: 'manual' | 'automatic' | null;
}

const holdOf = (r: HoldRecord): HoldRow => ({
  id: r.id,
  invoiceId: r.invoice_id,
  supplierId: r.supplier_id,
  status: r.status,
  reason: r.reason,
  releaseOn: r.release_on,
  heldAt: r.held_at,
  releasedAt: r.released_at,
  releaseKind: r.release_kind,
});

/** Every query on invoice_hold, finding_answer and invoice_thread_entry (the thread is append-only). */
@Injectable()
export class InvoiceThreadStore {
  async activeHold(manager: EntityManager, invoiceId: string): Promise<HoldRow | null> {
    const [row] = (await manager.query(Q.activeHold, [invoiceId])) as HoldRecord[];
    return row ? holdOf(row) : null;
  }

  async holdsOf(manager: EntityManager, invoiceId: string): Promise<HoldRow[]> {
    return ((await manager.query(Q.holdsOf, [invoiceId])) as HoldRecord[]).map(holdOf);
  }

  async insertHold(manager: EntityManager, hold: { invoiceId: string; supplierId: string; reason: string; releaseOn: CalendarDate; heldBy: string }): Promise<string> {
    const [row] = (await manager.query(Q.insertHold, [hold.invoiceId, hold.supplierId, hold.reason, hold.releaseOn, hold.heldBy])) as Array<{ id: string }>;
    return row.id;
  }

  /** Releases an active hold in one conditional UPDATE; false when another writer released it first. */
  async releaseHold(manager: EntityManager, holdId: string, by: string | null, kind: 'manual' | 'automatic', role: TransitionRole): Promise<boolean> {
    const problem = holdTransitionProblem('active', 'released', role);
    if (problem) throw DomainException.conflict('The hold cannot be released', [problem]);
    const [, affected] = (await manager.query(Q.toReleased, [holdId, 'active', by, kind])) as [unknown, number];
    return affected === 1;
  }

  async dueHolds(manager: EntityManager, today: CalendarDate, limit: number): Promise<string[]> {
    return ((await manager.query(Q.dueHolds, [today, limit])) as Array<{ invoice_id: string }>).map((r) => r.invoice_id);
  }

  async answersOf(manager: EntityManager, invoiceId: string): Promise<AnswerRow[]> {
    const rows = (await manager.query(Q.answersOf, [invoiceId])) as Array<{ id: string; invoice_id: string; line_no: number; status: AnswerStatus; resolution: Resolution | null }>;
    return rows.map((r) => ({ id: r.id, invoiceId: r.invoice_id, lineNo: r.line_no, status: r.status, resolution: r.resolution }));
  }

  /** Records a line's answer once; false when the line was answered meanwhile. */
  async insertAnswer(manager: EntityManager, a: { invoiceId: string; supplierId: string; lineNo: number; status: 'accepted' | 'disputed'; by: string }): Promise<boolean> {
    const rows = (await manager.query(Q.insertAnswer, [a.invoiceId, a.supplierId, a.lineNo, a.status, a.by])) as unknown[];
    return rows.length === 1;
  }

  /** Resolves a disputed line (or every disputed line of the invoice: lineNo null); the lines it resolved. */
  async resolve(manager: EntityManager, invoiceId: string, lineNo: number | null, resolution: Resolution, by: string | null, role: TransitionRole): Promise<number[]> {
    const problem = answerTransitionProblem('disputed', 'resolved', role);
    if (problem) throw DomainException.conflict('The dispute cannot be resolved', [problem]);
    const [rows] = (await manager.query(Q.toResolved, [invoiceId, lineNo, 'disputed', resolution, by])) as [Array<{ line_no: number }>, number];
    return rows.map((r) => r.line_no);
  }

  async addEntry(manager: EntityManager, e: NewThreadEntry): Promise<void> {
    await manager.query(Q.insertEntry, [e.invoiceId, e.supplierId, e.lineNo, e.kind, e.authorUserId, e.side, e.comment]);
  }

  async thread(manager: EntityManager, invoiceId: string): Promise<ThreadEntryRow[]> {
    const rows = (await manager.query(Q.thread, [invoiceId])) as Array<{ id: string; line_no: number | null; kind: ThreadKind; author_side: ThreadEntryRow['side']; comment: string | null; created_at: Date }>;
    return rows.map((r) => ({ id: r.id, lineNo: r.line_no, kind: r.kind, side: r.author_side, comment: r.comment, createdAt: r.created_at }));
  }
}
