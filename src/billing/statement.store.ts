import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { moneyTransformer } from '../common/database/money.transformer';
import type { CalendarDate, CalendarMonth } from '../common/time/calendar-date';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { statementTransitionProblem, type Statement, type StatementStatus, type StatementTotals } from './statement.rules';

export interface StatementSummaryRow {
  id: string;
  supplierId: string;
  supplierName: string;
  month: CalendarMonth;
  status: StatementStatus;
  number: string | null;
  selfBilled: boolean;
  issuedOn: string;
  dueOn: string;
  minutes: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
  finalisedAt: Date | null;
}

interface SummaryRecord {
  id: string;
  supplier_id: string;
  supplier_name: string;
  month: string;
  status: StatementStatus;
  number: string | null;
  self_billed: boolean;
  issued_on: string;
  due_on: string;
  minutes: number;
  net_ore: string;
  vat_ore: string;
  total_ore: string;
  finalised_at: Date | null;
}

/** What a statement covers: a supplier's month as of its approval watermark. */
export interface StatementWindowRow {
  id: string;
  supplierId: string;
  month: CalendarMonth;
  status: StatementStatus;
  selfBilled: boolean;
  issuedOn: CalendarDate;
  approvedThrough: Date | null;
}

interface WindowRecord {
  id: string;
  supplier_id: string;
  month: string;
  status: StatementStatus;
  self_billed: boolean;
  issued_on: string;
  approved_through: Date | null;
}

export interface StatementFilter {
  month?: string;
  supplierId?: string;
  status?: StatementStatus;
  limit: number;
}

const SUMMARY = `s.id, s.supplier_id, p.name AS supplier_name, s.month, s.status, s.number, s.self_billed, s.issued_on::text AS issued_on,
       s.due_on::text AS due_on, s.minutes, s.net_ore, s.vat_ore, s.total_ore, s.finalised_at`;

const WINDOW = `s.id, s.supplier_id, s.month, s.status, s.self_billed, s.issued_on::text AS issued_on, s.approved_through`;

export const STATEMENT_SQL = sqlQueries('billing/statement.store', {
  // A supplier's scope and the filters are parameters: null leaves one out.
  list: `
    SELECT ${SUMMARY}
      FROM statement s JOIN supplier p ON p.id = s.supplier_id
     WHERE ($1::uuid IS NULL OR s.supplier_id = $1) AND ($2::uuid IS NULL OR s.supplier_id = $2)
       AND ($3::text IS NULL OR s.month = $3) AND ($4::text IS NULL OR s.status = $4)
     ORDER BY s.month DESC, p.name, s.id LIMIT $5`,
  get: `SELECT ${SUMMARY}, s.approved_through, s.content FROM statement s JOIN supplier p ON p.id = s.supplier_id WHERE s.id = $1`,
  pdf: `SELECT ${WINDOW}, s.number, s.pdf, s.content FROM statement s WHERE s.id = $1`,
  ofSupplierMonth: `SELECT ${WINDOW} FROM statement s WHERE s.supplier_id = $1 AND s.month = $2`,
  ofSupplierMonthForUpdate: `SELECT ${WINDOW} FROM statement s WHERE s.supplier_id = $1 AND s.month = $2 FOR UPDATE`,
  draftSuppliers: `SELECT supplier_id FROM statement WHERE month = $1 AND status = 'draft' ORDER BY supplier_id`,
  deleteDraft: `DELETE FROM statement WHERE id = $1 AND status = 'draft'`,
  // A draft stores its totals and its watermark (the transaction's time), not its lines: those are computed on read.
  insertDraft: `
    INSERT INTO statement (supplier_id, month, status, self_billed, billing_run_id, issued_on, due_on, minutes, net_ore, vat_ore, total_ore, approved_through)
    VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, now()) RETURNING id`,
  // Gap-free numbers per year: the counter's row stays locked until the finalising transaction ends.
  ensureCounter: `INSERT INTO statement_number_counter (year, last_number) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING`,
  nextNumber: `UPDATE statement_number_counter SET last_number = last_number + 1 WHERE year = $1 RETURNING last_number`,
  // The transitions: one conditional UPDATE each, from the state in $2.
  toDraft: `
    UPDATE statement SET self_billed = $3, billing_run_id = $4, issued_on = $5, due_on = $6, minutes = $7, net_ore = $8, vat_ore = $9, total_ore = $10,
           approved_through = now()
     WHERE id = $1 AND status = $2`,
  // The lines are written once, here.
  toFinal: `
    UPDATE statement SET status = 'final', number = $3, pdf = $4, content = $5, minutes = $6, net_ore = $7, vat_ore = $8, total_ore = $9, finalised_at = now()
     WHERE id = $1 AND status = $2`,
});

const Q = STATEMENT_SQL;

function summary(row: SummaryRecord): StatementSummaryRow {
  return {
    id: row.id,
    supplierId: row.supplier_id,
    supplierName: row.supplier_name,
    month: row.month,
    status: row.status,
    number: row.number,
    selfBilled: row.self_billed,
    issuedOn: row.issued_on,
    dueOn: row.due_on,
    minutes: row.minutes,
    netOre: ore(row.net_ore),
    vatOre: ore(row.vat_ore),
    totalOre: ore(row.total_ore),
    finalisedAt: row.finalised_at,
  };
}

function windowOf(row: WindowRecord): StatementWindowRow {
  return { id: row.id, supplierId: row.supplier_id, month: row.month, status: row.status, selfBilled: row.self_billed, issuedOn: row.issued_on, approvedThrough: row.approved_through };
}

// Øre from a bigint column, refused when beyond the safe integers.
function ore(value: string): number {
  return moneyTransformer.from(value) as number;
}

/** What a billing run stores of a draft: its terms and totals, as of the transaction's time. */
export interface DraftTerms {
  supplierId: string;
  month: CalendarMonth;
  selfBilled: boolean;
  runId: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  totals: StatementTotals;
}

function draftParams(draft: DraftTerms): unknown[] {
  return [draft.selfBilled, draft.runId, draft.issuedOn, draft.dueOn, draft.totals.minutes, draft.totals.netOre, draft.totals.vatOre, draft.totals.totalOre];
}

/** Every query on statement and statement_number_counter. */
@Injectable()
export class StatementStore {
  async list(manager: EntityManager, filter: StatementFilter, scopeSupplierId: string | null): Promise<StatementSummaryRow[]> {
    const rows = (await manager.query(Q.list, [scopeSupplierId, filter.supplierId ?? null, filter.month ?? null, filter.status ?? null, filter.limit])) as SummaryRecord[];
    return rows.map(summary);
  }

  /** A statement with its window; `content` is null for a draft (its lines are computed on read). */
  async get(manager: EntityManager, id: string): Promise<(StatementSummaryRow & { window: StatementWindowRow; content: Statement | null }) | null> {
    const [row] = (await manager.query(Q.get, [id])) as Array<SummaryRecord & WindowRecord & { content: Statement | null }>;
    return row ? { ...summary(row), window: windowOf(row), content: row.content } : null;
  }

  async pdf(manager: EntityManager, id: string): Promise<{ window: StatementWindowRow; number: string | null; pdf: Buffer | null; content: Statement | null } | null> {
    const [row] = (await manager.query(Q.pdf, [id])) as Array<WindowRecord & { number: string | null; pdf: Buffer | null; content: Statement | null }>;
    return row ? { window: windowOf(row), number: row.number, pdf: row.pdf, content: row.content } : null;
  }

  async ofSupplierMonth(manager: EntityManager, supplierId: string, month: CalendarMonth, lock: boolean): Promise<StatementWindowRow | null> {
    const [row] = (await manager.query(lock ? Q.ofSupplierMonthForUpdate : Q.ofSupplierMonth, [supplierId, month])) as WindowRecord[];
    return row ? windowOf(row) : null;
  }

  async draftSuppliers(manager: EntityManager, month: CalendarMonth): Promise<string[]> {
    return ((await manager.query(Q.draftSuppliers, [month])) as Array<{ supplier_id: string }>).map((row) => row.supplier_id);
  }

  /** Deletes a draft with nothing left to bill; false when it is not a draft (any more). */
  async deleteDraft(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.deleteDraft, [id])) as [unknown, number];
    return affected === 1;
  }

  async insertDraft(manager: EntityManager, draft: DraftTerms): Promise<string> {
    const [row] = (await manager.query(Q.insertDraft, [draft.supplierId, draft.month, ...draftParams(draft)])) as Array<{ id: string }>;
    return row.id;
  }

  /** The next number of the year; the counter stays locked until the caller's transaction ends. */
  async nextNumber(manager: EntityManager, year: number): Promise<number> {
    await manager.query(Q.ensureCounter, [year]);
    const [[{ last_number }]] = (await manager.query(Q.nextNumber, [year])) as [Array<{ last_number: number }>, number];
    return last_number;
  }

  /**
   * Moves a statement from `from` to `to` in one conditional UPDATE: a draft rebuilt with new totals and
   * watermark, or made final with its number, PDF and lines. False when it was no longer `from` (another
   * worker won). A transition the table does not allow `role` is a 409 naming both states.
   */
  async transition(manager: EntityManager, id: string, from: StatementStatus, change: { to: 'draft'; draft: DraftTerms } | { to: 'final'; number: string; pdf: Buffer; content: Statement }, role: TransitionRole): Promise<boolean> {
    this.assertTransition(from, change.to, role);
    const params =
      change.to === 'draft'
        ? [id, from, ...draftParams(change.draft)]
        : [id, from, change.number, change.pdf, JSON.stringify(change.content), change.content.totals.minutes, change.content.totals.netOre, change.content.totals.vatOre, change.content.totals.totalOre];
    const [, affected] = (await manager.query(change.to === 'draft' ? Q.toDraft : Q.toFinal, params)) as [unknown, number];
    return affected === 1;
  }

  /** A 409 naming both states when the table does not let `role` move a statement from `from` to `to`. */
  assertTransition(from: StatementStatus, to: StatementStatus, role: TransitionRole): void {
    const problem = statementTransitionProblem(from, to, role);
    if (problem) throw DomainException.conflict(`The statement cannot go from ${from} to ${to}`, [problem]);
  }
}
