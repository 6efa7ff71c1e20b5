import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarMonth } from '../common/time/calendar-date';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { billingRunTransitionProblem, type BillingRunStatus } from './billing-run.rules';

export type BillingRunKind = 'build' | 'finalise';
export type { BillingRunStatus };

export interface BillingRunRow {
  id: string;
  month: string;
  kind: BillingRunKind;
  status: BillingRunStatus;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  total: string;
  done: string;
  statements: string;
}

export const BILLING_RUN_SQL = sqlQueries('billing/billing-run.store', {
  insertQueued: `
    INSERT INTO billing_run (month, kind, status, started_by) VALUES ($1, $2, 'queued', $3)
    ON CONFLICT (month) WHERE status IN ('queued', 'running') DO NOTHING RETURNING id`,
  activeOfMonth: `SELECT id FROM billing_run WHERE month = $1 AND status IN ('queued', 'running')`,
  // A month is closed once a finalising run of it completed: what is approved for it afterwards goes on a later statement.
  closedMonthsBefore: `SELECT DISTINCT month FROM billing_run WHERE kind = 'finalise' AND status = 'completed' AND month < $1 ORDER BY month`,
  get: `
    SELECT r.id, r.month, r.kind, r.status, r.error, r.created_at, r.started_at, r.finished_at,
           (SELECT count(*) FROM billing_run_item i WHERE i.run_id = r.id) AS total,
           (SELECT count(*) FROM billing_run_item i WHERE i.run_id = r.id AND i.status = 'done') AS done,
           (SELECT count(*) FROM billing_run_item i WHERE i.run_id = r.id AND i.statement_id IS NOT NULL) AS statements
      FROM billing_run r WHERE r.id = $1`,
  recent: `SELECT id FROM billing_run WHERE ($1::text IS NULL OR month = $1) ORDER BY created_at DESC LIMIT 50`,
  state: `SELECT month, kind, status FROM billing_run WHERE id = $1`,
  // The transitions: one conditional UPDATE each, from the state in $2; planning again (after lost work) numbers the batch jobs anew.
  toRunning: `
    UPDATE billing_run SET status = 'running', started_at = COALESCE(started_at, now()), plan_generation = plan_generation + 1
     WHERE id = $1 AND status = $2 RETURNING month, kind, plan_generation`,
  toCompleted: `
    UPDATE billing_run SET status = 'completed', finished_at = now()
     WHERE id = $1 AND status = $2 AND NOT EXISTS (SELECT 1 FROM billing_run_item WHERE run_id = $1 AND status = 'pending')
     RETURNING month, kind`,
  toFailed: `UPDATE billing_run SET status = 'failed', error = $3, finished_at = now() WHERE id = $1 AND status = $2 RETURNING month, kind`,
  stalled: `
    SELECT r.id FROM billing_run r
     WHERE r.status IN ('queued', 'running') AND r.created_at < now() - make_interval(secs => $1)
       AND COALESCE((SELECT max(i.done_at) FROM billing_run_item i WHERE i.run_id = r.id), r.started_at, r.created_at) < now() - make_interval(secs => $1)`,
  countItems: `SELECT count(*) AS n FROM billing_run_item WHERE run_id = $1`,
  countStatements: `SELECT count(*) AS n FROM billing_run_item WHERE run_id = $1 AND statement_id IS NOT NULL`,
  insertItems: `INSERT INTO billing_run_item (run_id, supplier_id, batch) SELECT $1, * FROM unnest($2::uuid[], $3::int[]) ON CONFLICT DO NOTHING`,
  pendingBatches: `SELECT DISTINCT batch FROM billing_run_item WHERE run_id = $1 AND status = 'pending' ORDER BY batch`,
  // A batch job's start in one read: the run's state and the batch's suppliers still pending.
  batchWork: `
    SELECT r.month, r.kind, r.status,
           ARRAY(SELECT i.supplier_id FROM billing_run_item i WHERE i.run_id = r.id AND i.batch = $2 AND i.status = 'pending' ORDER BY i.supplier_id) AS pending
      FROM billing_run r WHERE r.id = $1`,
  anyPending: `SELECT EXISTS (SELECT 1 FROM billing_run_item WHERE run_id = $1 AND status = 'pending') AS pending`,
  // The lock a supplier-month is billed under: two workers never bill it at once.
  lockSupplierMonth: `SELECT pg_advisory_xact_lock(hashtext('billing:' || $1::text || ':' || $2::text))`,
  itemForUpdate: `SELECT status FROM billing_run_item WHERE run_id = $1 AND supplier_id = $2 FOR UPDATE`,
  itemDone: `UPDATE billing_run_item SET status = 'done', statement_id = $3, done_at = now() WHERE run_id = $1 AND supplier_id = $2 AND status = 'pending'`,
  // A batch at once: the supplier-months locked in the order given (sorted, so two workers never wait on each other in a
  // circle), then the run items still pending locked; those are the batch's work.
  lockSuppliersMonth: `SELECT count(pg_advisory_xact_lock(hashtext('billing:' || s::text || ':' || $2::text))) FROM unnest($1::uuid[]) AS s`,
  pendingForUpdate: `SELECT supplier_id FROM billing_run_item WHERE run_id = $1 AND supplier_id = ANY($2::uuid[]) AND status = 'pending' ORDER BY supplier_id FOR UPDATE`,
  itemsDone: `
    UPDATE billing_run_item i SET status = 'done', statement_id = u.statement_id, done_at = now()
      FROM unnest($2::uuid[], $3::uuid[]) AS u(supplier_id, statement_id)
     WHERE i.run_id = $1 AND i.supplier_id = u.supplier_id AND i.status = 'pending'`,
});

const Q = BILLING_RUN_SQL;

export interface TransitionRow {
  month: CalendarMonth;
  kind: BillingRunKind;
  plan_generation?: number;
}

/** Every query on billing_run and billing_run_item. */
@Injectable()
export class BillingRunStore {
  async insertQueued(manager: EntityManager, month: CalendarMonth, kind: BillingRunKind, userId: string | null): Promise<string | null> {
    const [row] = (await manager.query(Q.insertQueued, [month, kind, userId])) as Array<{ id: string }>;
    return row?.id ?? null;
  }

  /** The months before `month` that a finalising run closed. */
  async closedMonthsBefore(manager: EntityManager, month: CalendarMonth): Promise<CalendarMonth[]> {
    return ((await manager.query(Q.closedMonthsBefore, [month])) as Array<{ month: CalendarMonth }>).map((row) => row.month);
  }

  async activeOfMonth(manager: EntityManager, month: CalendarMonth): Promise<string | null> {
    const [row] = (await manager.query(Q.activeOfMonth, [month])) as Array<{ id: string }>;
    return row?.id ?? null;
  }

  async get(manager: EntityManager, id: string): Promise<BillingRunRow | null> {
    const [row] = (await manager.query(Q.get, [id])) as BillingRunRow[];
    return row ?? null;
  }

  async recent(manager: EntityManager, month: CalendarMonth | null): Promise<string[]> {
    return ((await manager.query(Q.recent, [month])) as Array<{ id: string }>).map((row) => row.id);
  }

  async state(manager: EntityManager, id: string): Promise<{ month: CalendarMonth; kind: BillingRunKind; status: BillingRunStatus } | null> {
    const [row] = (await manager.query(Q.state, [id])) as Array<{ month: CalendarMonth; kind: BillingRunKind; status: BillingRunStatus }>;
    return row ?? null;
  }

  /**
   * Moves a run from `from` to `to` in one conditional UPDATE: the row when this call won, null when the run
   * was no longer `from` (another worker won) or, for completed, something is still pending. A transition
   * the table does not allow `role` is a 409 naming both states.
   */
  async transition(manager: EntityManager, id: string, from: BillingRunStatus, to: BillingRunStatus, role: TransitionRole, params: unknown[] = []): Promise<TransitionRow | null> {
    const problem = billingRunTransitionProblem(from, to, role);
    if (problem) throw DomainException.conflict(`The billing run cannot go from ${from} to ${to}`, [problem]);
    const sql = to === 'running' ? Q.toRunning : to === 'completed' ? Q.toCompleted : Q.toFailed;
    // An UPDATE answers [rows, affected].
    const [[row]] = (await manager.query(sql, [id, from, ...params])) as [TransitionRow[], number];
    return row ?? null;
  }

  async stalled(manager: EntityManager, quietMs: number): Promise<string[]> {
    return ((await manager.query(Q.stalled, [quietMs / 1000])) as Array<{ id: string }>).map((row) => row.id);
  }

  async countItems(manager: EntityManager, runId: string): Promise<number> {
    const [{ n }] = (await manager.query(Q.countItems, [runId])) as Array<{ n: string }>;
    return Number(n);
  }

  async countStatements(manager: EntityManager, runId: string): Promise<number> {
    const [{ n }] = (await manager.query(Q.countStatements, [runId])) as Array<{ n: string }>;
    return Number(n);
  }

  async insertItems(manager: EntityManager, runId: string, items: Array<{ supplierId: string; batch: number }>): Promise<void> {
    if (items.length === 0) return;
    await manager.query(Q.insertItems, [runId, items.map((item) => item.supplierId), items.map((item) => item.batch)]);
  }

  async pendingBatches(manager: EntityManager, runId: string): Promise<number[]> {
    return ((await manager.query(Q.pendingBatches, [runId])) as Array<{ batch: number }>).map((row) => row.batch);
  }

  /** The run's state and the batch's suppliers still pending; null when there is no such run. */
  async batchWork(manager: EntityManager, runId: string, batch: number): Promise<{ month: CalendarMonth; kind: BillingRunKind; status: BillingRunStatus; pending: string[] } | null> {
    const [row] = (await manager.query(Q.batchWork, [runId, batch])) as Array<{ month: CalendarMonth; kind: BillingRunKind; status: BillingRunStatus; pending: string[] }>;
    return row ?? null;
  }

  /** Whether any supplier of the run is still pending. */
  async anyPending(manager: EntityManager, runId: string): Promise<boolean> {
    const [row] = (await manager.query(Q.anyPending, [runId])) as Array<{ pending: boolean }>;
    return row.pending;
  }

  /** Locks the supplier-month and the run item; false when the item is already done (a repeated job). */
  async claimItem(manager: EntityManager, runId: string, supplierId: string, month: CalendarMonth): Promise<boolean> {
    await manager.query(Q.lockSupplierMonth, [supplierId, month]);
    const [item] = (await manager.query(Q.itemForUpdate, [runId, supplierId])) as Array<{ status: string }>;
    return item?.status === 'pending';
  }

  /** Locks the supplier-months and the run items of `supplierIds`; the suppliers still pending (a repeated job finds none). */
  async claimItems(manager: EntityManager, runId: string, supplierIds: string[], month: CalendarMonth): Promise<string[]> {
    if (supplierIds.length === 0) return [];
    const sorted = [...supplierIds].sort();
    await manager.query(Q.lockSuppliersMonth, [sorted, month]);
    return ((await manager.query(Q.pendingForUpdate, [runId, sorted])) as Array<{ supplier_id: string }>).map((row) => row.supplier_id);
  }

  /** Marks run items done, each with its statement (null: none); the number marked. */
  async itemsDone(manager: EntityManager, runId: string, done: Array<{ supplierId: string; statementId: string | null }>): Promise<number> {
    if (done.length === 0) return 0;
    const [, affected] = (await manager.query(Q.itemsDone, [runId, done.map((d) => d.supplierId), done.map((d) => d.statementId)])) as [unknown, number];
    return affected;
  }

  async itemDone(manager: EntityManager, runId: string, supplierId: string, statementId: string | null): Promise<void> {
    await manager.query(Q.itemDone, [runId, supplierId, statementId]);
  }
}
