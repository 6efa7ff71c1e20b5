import { keysetPage, keysetQueries } from '../common/database/keyset';
import type { KeysetPage, PageRequest } from '../common/web/list-query';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { readOre } from '../common/database/money.transformer';
import type { CalendarDate, CalendarMonth } from '../common/time/calendar-date';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { statementTransitionProblem, type Statement, type StatementStatus, type StatementTotals } from './statement.rules';

export interface StatementSummaryRow {
  id: string;
  supplierId: string;
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
  paidOn: CalendarDate | null;
  paidOre: number | null;
}

interface SummaryRecord {
  id: string;
  supplier_id: string;
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
  paid_on: string | null;
  paid_ore: string | null;
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

const SUMMARY = `s.id, s.supplier_id, s.month, s.status, s.number, s.self_billed, s.issued_on::text AS issued_on,
       s.due_on::text AS due_on, s.minutes, s.net_ore, s.vat_ore, s.total_ore, s.finalised_at,
       s.paid_on::text AS paid_on, s.paid_ore`;

const WINDOW = `s.id, s.supplier_id, s.month, s.status, s.self_billed, s.issued_on::text AS issued_on, s.approved_through`;

/** The statements list's sorts: month (newest first, suppliers by name within it; the default), number, total, supplier name. */
export const STATEMENT_SORTS = { month: 'desc', number: 'asc', total: 'desc', supplier: 'asc' } as const;
export type StatementSort = keyof typeof STATEMENT_SORTS;

// $7: every supplier's id in name order (the names are the suppliers module's), as a position to sort by.
const SUPPLIER_POSITION = `COALESCE(array_position($7::uuid[], s.supplier_id), 999999)`;

export const STATEMENT_SQL = sqlQueries('billing/statement.store', {
  // The searchable list: the filters of \`list\` ($1..$4), then $5 a pattern on the number or $6 the suppliers whose name matched.
  ...keysetQueries('page', {
    select: SUMMARY,
    from: 'FROM statement s',
    where: `WHERE ($1::uuid IS NULL OR s.supplier_id = $1) AND ($2::uuid IS NULL OR s.supplier_id = $2)
       AND ($3::text IS NULL OR s.month = $3) AND ($4::text IS NULL OR s.status = $4)
       AND ($5::text IS NULL OR s.number ILIKE $5 OR s.supplier_id = ANY($6::uuid[]))
       AND cardinality($7::uuid[]) >= 0`,
    params: 7,
    id: 's.id',
    sorts: {
      // Month descending and, within it, suppliers by name ascending: one key, the position turned round.
      month: { expr: `s.month || '-' || lpad((999999 - ${SUPPLIER_POSITION})::text, 6, '0')`, cast: 'text' },
      number: { expr: `COALESCE(s.number, '')`, cast: 'text' },
      total: { expr: 's.total_ore', cast: 'bigint' },
      supplier: { expr: SUPPLIER_POSITION, cast: 'int' },
    },
  }),
  // A supplier's scope and the filters are parameters: null leaves one out. $6: the suppliers in the order a month's
  // statements are listed in (by name, as the suppliers module orders them).
  list: `
    SELECT ${SUMMARY}
      FROM statement s LEFT JOIN unnest($6::uuid[]) WITH ORDINALITY AS o(supplier_id, position) ON o.supplier_id = s.supplier_id
     WHERE ($1::uuid IS NULL OR s.supplier_id = $1) AND ($2::uuid IS NULL OR s.supplier_id = $2)
       AND ($3::text IS NULL OR s.month = $3) AND ($4::text IS NULL OR s.status = $4)
     ORDER BY s.month DESC, o.position, s.id LIMIT $5`,
  get: `SELECT ${SUMMARY}, s.approved_through, s.content FROM statement s WHERE s.id = $1`,
  pdf: `SELECT ${WINDOW}, s.number, s.pdf, s.content, s.finalised_at FROM statement s WHERE s.id = $1`,
  ofSupplierMonth: `SELECT ${WINDOW} FROM statement s WHERE s.supplier_id = $1 AND s.month = $2`,
  ofSupplierMonthForUpdate: `SELECT ${WINDOW} FROM statement s WHERE s.supplier_id = $1 AND s.month = $2 FOR UPDATE`,
  ofSuppliersMonthForUpdate: `SELECT ${WINDOW} FROM statement s WHERE s.supplier_id = ANY($1::uuid[]) AND s.month = $2 ORDER BY s.supplier_id FOR UPDATE`,
  draftSuppliers: `SELECT supplier_id FROM statement WHERE month = $1 AND status = 'draft' ORDER BY supplier_id`,
  deleteDraft: `DELETE FROM statement WHERE id = $1 AND status = 'draft'`,
  deleteDrafts: `DELETE FROM statement WHERE id = ANY($1::uuid[]) AND status = 'draft'`,
  // A draft stores its totals and its watermark (the transaction's time), not its lines: those are computed on read.
  // A batch of a run's new drafts in one statement: the run, month, issue and due dates are the batch's; the rest per supplier.
  insertDrafts: `
    INSERT INTO statement (supplier_id, month, status, self_billed, billing_run_id, issued_on, due_on, minutes, net_ore, vat_ore, total_ore, approved_through)
    SELECT u.supplier_id, $1, 'draft', u.self_billed, $2, $3, $4, u.minutes, u.net_ore, u.vat_ore, u.total_ore, now()
      FROM unnest($5::uuid[], $6::boolean[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[]) AS u(supplier_id, self_billed, minutes, net_ore, vat_ore, total_ore)
    RETURNING id, supplier_id`,
  // Gap-free numbers per year: the counter's row stays locked until the finalising transaction ends.
  ensureCounter: `INSERT INTO statement_number_counter (year, last_number) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING`,
  nextNumber: `UPDATE statement_number_counter SET last_number = last_number + 1 WHERE year = $1 RETURNING last_number`,
  // The transitions: one conditional UPDATE each, from the state in $1 or $2.
  // A batch of drafts rebuilt, each from the state in $1 (a draft).
  toDrafts: `
    UPDATE statement s SET self_billed = u.self_billed, billing_run_id = $2, issued_on = $3, due_on = $4, minutes = u.minutes, net_ore = u.net_ore,
           vat_ore = u.vat_ore, total_ore = u.total_ore, approved_through = now()
      FROM unnest($5::uuid[], $6::boolean[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[]) AS u(id, self_billed, minutes, net_ore, vat_ore, total_ore)
     WHERE s.id = u.id AND s.status = $1`,
  // The number and lines are written once, here; the PDF is rendered from them after this transaction.
  toFinal: `
    UPDATE statement SET status = 'final', number = $3, content = $4, minutes = $5, net_ore = $6, vat_ore = $7, total_ore = $8, finalised_at = now()
     WHERE id = $1 AND status = $2`,
  // What a final statement's PDF is rendered from; its finalisation time is the document's date, so a render is the same bytes each time.
  toRender: `SELECT s.number, s.content, s.finalised_at FROM statement s WHERE s.id = $1 AND s.status = 'final' AND s.pdf IS NULL`,
  // The PDF is stored once: never over one stored before (the trigger refuses that too).
  storePdf: `UPDATE statement SET pdf = $2 WHERE id = $1 AND status = 'final' AND pdf IS NULL`,
  // For a finalising run: the month's drafts, and its final statements whose PDF is not stored yet.
  toFinalise: `SELECT supplier_id FROM statement WHERE month = $1 AND (status = 'draft' OR pdf IS NULL) ORDER BY supplier_id`,
  // The numbered statements a payment file names, locked for the import's transaction.
  byNumbersForUpdate: `
    SELECT id, number, supplier_id, status, total_ore, paid_on::text AS paid_on, paid_ore
      FROM statement WHERE number = ANY($1::text[]) ORDER BY number FOR UPDATE`,
  byNumbers: `
    SELECT id, number, supplier_id, status, total_ore, paid_on::text AS paid_on, paid_ore
      FROM statement WHERE number = ANY($1::text[]) ORDER BY number`,
  // The payment registered once: final → paid with its day, amount (the total) and import.
  toPaid: `
    UPDATE statement SET status = 'paid', paid_on = $3, paid_ore = $4, payment_import_id = $5
     WHERE id = $1 AND status = $2 AND total_ore = $4`,
  // Final statements not paid, due in a period (this week) or before a day (late), by due date.
  openDue: `
    SELECT ${SUMMARY} FROM statement s
     WHERE s.status = 'final' AND s.due_on BETWEEN $1 AND $2
     ORDER BY s.due_on, s.number LIMIT $3`,
  // The self-billing document is issued from a final statement's stored lines and number.
  document: `SELECT ${WINDOW}, s.number, s.content, s.finalised_at FROM statement s WHERE s.id = $1`,
});

const Q = STATEMENT_SQL;

function summary(row: SummaryRecord): StatementSummaryRow {
  return {
    id: row.id,
    supplierId: row.supplier_id,
    month: row.month,
    status: row.status,
    number: row.number,
    selfBilled: row.self_billed,
    issuedOn: row.issued_on,
    dueOn: row.due_on,
    minutes: row.minutes,
    netOre: readOre(row.net_ore),
    vatOre: readOre(row.vat_ore),
    totalOre: readOre(row.total_ore),
    finalisedAt: row.finalised_at,
    paidOn: row.paid_on,
    paidOre: row.paid_ore === null ? null : readOre(row.paid_ore),
  };
}

function windowOf(row: WindowRecord): StatementWindowRow {
  return { id: row.id, supplierId: row.supplier_id, month: row.month, status: row.status, selfBilled: row.self_billed, issuedOn: row.issued_on, approvedThrough: row.approved_through };
}


/** A batch's drafts: the run, month and dates they share, and per supplier (or statement) its terms and totals. */
export interface DraftBatch {
  month: CalendarMonth;
  runId: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  drafts: Array<{ key: string; selfBilled: boolean; totals: StatementTotals }>;
}

function batchParams(batch: DraftBatch): unknown[] {
  const { drafts } = batch;
  return [
    batch.runId,
    batch.issuedOn,
    batch.dueOn,
    drafts.map((d) => d.key),
    drafts.map((d) => d.selfBilled),
    drafts.map((d) => d.totals.minutes),
    drafts.map((d) => d.totals.netOre),
    drafts.map((d) => d.totals.vatOre),
    drafts.map((d) => d.totals.totalOre),
  ];
}

/** A numbered statement as a payment import reads it. */
export interface PayableStatementRow {
  id: string;
  number: string;
  supplierId: string;
  status: StatementStatus;
  totalOre: number;
  paidOn: CalendarDate | null;
  paidOre: number | null;
}

interface PayableRecord {
  id: string;
  number: string;
  supplier_id: string;
  status: StatementStatus;
  total_ore: string;
  paid_on: string | null;
  paid_ore: string | null;
}

function payableOf(row: PayableRecord): PayableStatementRow {
  return {
    id: row.id,
    number: row.number,
    supplierId: row.supplier_id,
    status: row.status,
    totalOre: readOre(row.total_ore),
    paidOn: row.paid_on,
    paidOre: row.paid_ore === null ? null : readOre(row.paid_ore),
  };
}

/** Every query on statement and statement_number_counter. */
@Injectable()
export class StatementStore {
  /** A page of statements, newest month first and within a month in the order of `supplierOrder` (ids). */
  async list(manager: EntityManager, filter: StatementFilter, scopeSupplierId: string | null, supplierOrder: string[]): Promise<StatementSummaryRow[]> {
    const rows = (await manager.query(Q.list, [scopeSupplierId, filter.supplierId ?? null, filter.month ?? null, filter.status ?? null, filter.limit, supplierOrder])) as SummaryRecord[];
    return rows.map(summary);
  }

  /** A page of the searchable list; `supplierOrder` every supplier's id in name order. */
  async page(
    manager: EntityManager,
    filter: Omit<StatementFilter, 'limit'> & { pattern: string | null; supplierIds: string[] },
    scopeSupplierId: string | null,
    supplierOrder: string[],
    request: PageRequest<StatementSort>,
  ): Promise<KeysetPage<StatementSummaryRow>> {
    const page = await keysetPage<SummaryRecord, StatementSort>(manager, Q, 'page', request, [
      scopeSupplierId, filter.supplierId ?? null, filter.month ?? null, filter.status ?? null, filter.pattern, filter.supplierIds, supplierOrder,
    ]);
    return { ...page, items: page.items.map(summary) };
  }

  /** A statement with its window; `content` is null for a draft (its lines are computed on read). */
  async get(manager: EntityManager, id: string): Promise<(StatementSummaryRow & { window: StatementWindowRow; content: Statement | null }) | null> {
    const [row] = (await manager.query(Q.get, [id])) as Array<SummaryRecord & WindowRecord & { content: Statement | null }>;
    return row ? { ...summary(row), window: windowOf(row), content: row.content } : null;
  }

  async pdf(manager: EntityManager, id: string): Promise<{ window: StatementWindowRow; number: string | null; pdf: Buffer | null; content: Statement | null; finalisedAt: Date | null } | null> {
    const [row] = (await manager.query(Q.pdf, [id])) as Array<WindowRecord & { number: string | null; pdf: Buffer | null; content: Statement | null; finalised_at: Date | null }>;
    return row ? { window: windowOf(row), number: row.number, pdf: row.pdf, content: row.content, finalisedAt: row.finalised_at } : null;
  }

  /** A final statement whose PDF is still to be stored: what it is rendered from; null when there is none to render. */
  async toRender(manager: EntityManager, id: string): Promise<{ number: string; content: Statement; finalisedAt: Date } | null> {
    const [row] = (await manager.query(Q.toRender, [id])) as Array<{ number: string; content: Statement; finalised_at: Date }>;
    return row ? { number: row.number, content: row.content, finalisedAt: row.finalised_at } : null;
  }

  /** Stores a final statement's PDF once; false when one was stored already (or it is not final). */
  async storePdf(manager: EntityManager, id: string, pdf: Buffer): Promise<boolean> {
    const [, affected] = (await manager.query(Q.storePdf, [id, pdf])) as [unknown, number];
    return affected === 1;
  }

  async suppliersToFinalise(manager: EntityManager, month: CalendarMonth): Promise<string[]> {
    return ((await manager.query(Q.toFinalise, [month])) as Array<{ supplier_id: string }>).map((row) => row.supplier_id);
  }

  async ofSupplierMonth(manager: EntityManager, supplierId: string, month: CalendarMonth, lock: boolean): Promise<StatementWindowRow | null> {
    const [row] = (await manager.query(lock ? Q.ofSupplierMonthForUpdate : Q.ofSupplierMonth, [supplierId, month])) as WindowRecord[];
    return row ? windowOf(row) : null;
  }

  /** The statements of these suppliers' month, locked; absent suppliers have none. */
  async ofSuppliersMonthForUpdate(manager: EntityManager, supplierIds: string[], month: CalendarMonth): Promise<Map<string, StatementWindowRow>> {
    if (supplierIds.length === 0) return new Map();
    const rows = (await manager.query(Q.ofSuppliersMonthForUpdate, [supplierIds, month])) as WindowRecord[];
    return new Map(rows.map((row) => [row.supplier_id, windowOf(row)]));
  }

  async draftSuppliers(manager: EntityManager, month: CalendarMonth): Promise<string[]> {
    return ((await manager.query(Q.draftSuppliers, [month])) as Array<{ supplier_id: string }>).map((row) => row.supplier_id);
  }

  /** Deletes a draft with nothing left to bill; false when it is not a draft (any more). */
  async deleteDraft(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.deleteDraft, [id])) as [unknown, number];
    return affected === 1;
  }

  /** Deletes drafts with nothing left to bill; the number deleted (fewer: some were no longer drafts). */
  async deleteDrafts(manager: EntityManager, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const [, affected] = (await manager.query(Q.deleteDrafts, [ids])) as [unknown, number];
    return affected;
  }

  /** Inserts a batch's new drafts (`key`: the supplier) in one statement; their ids by supplier. */
  async insertDrafts(manager: EntityManager, batch: DraftBatch): Promise<Map<string, string>> {
    if (batch.drafts.length === 0) return new Map();
    const rows = (await manager.query(Q.insertDrafts, [batch.month, ...batchParams(batch)])) as Array<{ id: string; supplier_id: string }>;
    return new Map(rows.map((row) => [row.supplier_id, row.id]));
  }

  /**
   * Rebuilds a batch's drafts (`key`: the statement) with new totals and watermark in one conditional UPDATE;
   * the number rebuilt (fewer: some were no longer drafts). Refused (409) as a transition draft → draft would be.
   */
  async redraft(manager: EntityManager, batch: DraftBatch, role: TransitionRole): Promise<number> {
    if (batch.drafts.length === 0) return 0;
    this.assertTransition('draft', 'draft', role);
    const [, affected] = (await manager.query(Q.toDrafts, ['draft', ...batchParams(batch)])) as [unknown, number];
    return affected;
  }

  /** The next number of the year; the counter stays locked until the caller's transaction ends. */
  async nextNumber(manager: EntityManager, year: number): Promise<number> {
    await manager.query(Q.ensureCounter, [year]);
    const [[{ last_number }]] = (await manager.query(Q.nextNumber, [year])) as [Array<{ last_number: number }>, number];
    return last_number;
  }

  /**
   * Makes a statement final in one conditional UPDATE, from `from`, with its number and lines (its PDF is
   * stored later, once). False when it was no longer `from` (another worker won). A transition the table does
   * not allow `role` is a 409 naming both states.
   */
  async finalise(manager: EntityManager, id: string, from: StatementStatus, change: { number: string; content: Statement }, role: TransitionRole): Promise<boolean> {
    this.assertTransition(from, 'final', role);
    const { totals } = change.content;
    const [, affected] = (await manager.query(Q.toFinal, [id, from, change.number, JSON.stringify(change.content), totals.minutes, totals.netOre, totals.vatOre, totals.totalOre])) as [unknown, number];
    return affected === 1;
  }

  /** The numbered statements of these numbers (locked with `lock`, for an import that applies). */
  async byNumbers(manager: EntityManager, numbers: string[], lock: boolean): Promise<PayableStatementRow[]> {
    if (numbers.length === 0) return [];
    return ((await manager.query(lock ? Q.byNumbersForUpdate : Q.byNumbers, [numbers])) as PayableRecord[]).map(payableOf);
  }

  /**
   * Registers a final statement's payment in one conditional UPDATE (final → paid): false when it was no
   * longer final, or the amount is not its total. A transition the table does not allow `role` is a 409.
   */
  async markPaid(manager: EntityManager, id: string, payment: { paidOn: CalendarDate; paidOre: number; importId: string }, role: TransitionRole): Promise<boolean> {
    this.assertTransition('final', 'paid', role);
    const [, affected] = (await manager.query(Q.toPaid, [id, 'final', payment.paidOn, payment.paidOre, payment.importId])) as [unknown, number];
    return affected === 1;
  }

  /** Final statements not yet paid whose due date lies from `from` to `to`, by due date. */
  async openDue(manager: EntityManager, from: CalendarDate, to: CalendarDate, limit: number): Promise<StatementSummaryRow[]> {
    return ((await manager.query(Q.openDue, [from, to, limit])) as SummaryRecord[]).map(summary);
  }

  /** What a statement's document is issued from: its window, number and stored lines (null for a draft). */
  async document(manager: EntityManager, id: string): Promise<{ window: StatementWindowRow; number: string | null; content: Statement | null; finalisedAt: Date | null } | null> {
    const [row] = (await manager.query(Q.document, [id])) as Array<WindowRecord & { number: string | null; content: Statement | null; finalised_at: Date | null }>;
    return row ? { window: windowOf(row), number: row.number, content: row.content, finalisedAt: row.finalised_at } : null;
  }

  /** A 409 naming both states when the table does not let `role` move a statement from `from` to `to`. */
  assertTransition(from: StatementStatus, to: StatementStatus, role: TransitionRole): void {
    const problem = statementTransitionProblem(from, to, role);
    if (problem) throw DomainException.conflict(`The statement cannot go from ${from} to ${to}`, [problem]);
  }
}
