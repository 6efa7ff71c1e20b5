import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { JobQueue } from '../common/queue/job-queue';
import { type CalendarMonth } from '../common/time/calendar-date';
import { DeliveryLedgerService } from '../invoices/delivery-ledger.service';
import { batches, billingMonthProblems, progressPercent } from './billing-run.rules';
import { billingRunAction, statementDueDate, statementTotals } from './statement.rules';
import { StatementStore } from './statement.store';
import { billedInMonth, StatementsService, type StatementTerms } from './statements.service';
import { BillingRunStore, type BillingRunKind, type BillingRunRow } from './billing-run.store';
import { Clock } from '../common/time/clock';

export const BILLING_QUEUE = 'billing';
/** Suppliers per batch job: small enough that several workers share a month, large enough to keep jobs few. */
export const BILLING_BATCH_SIZE = 10;

export type { BillingRunKind };

export interface BillingRunDto {
  id: string;
  month: CalendarMonth;
  kind: BillingRunKind;
  status: 'queued' | 'running' | 'completed' | 'failed';
  suppliersTotal: number;
  suppliersDone: number;
  percent: number;
  statements: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * Billing runs (månedsafregning): one statement per supplier and month from approved deliveries, built
 * in batch jobs any number of workers share. Idempotent per supplier-month: a deterministic job id per
 * batch, a run item done once under a row lock, a unique statement per supplier and month, and
 * conditional updates of the run's state. A run killed midway resumes with what is still pending.
 */
@Injectable()
export class BillingRunsService {
  private readonly logger = new Logger('BillingRuns');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: BillingRunStore,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly ledger: DeliveryLedgerService,
    private readonly statements: StatementsService,
    private readonly statementStore: StatementStore,
    private readonly clock: Clock,
  ) {}

  /** Queues a run of the month, or answers the run already going (created: false). */
  async start(month: string, kind: BillingRunKind, actor: Actor): Promise<{ created: boolean; run: BillingRunDto }> {
    const problems = billingMonthProblems(month, this.clock.today(), kind);
    if (problems.length > 0) throw DomainException.rule(kind === 'build' ? 'The month cannot be billed' : 'The month cannot be made final', problems);
    const created = await this.dataSource.transaction(async (manager) => {
      const id = await this.store.insertQueued(manager, month, kind, actor.userId);
      if (id === null) return null;
      await this.audit.record(manager, actor, { action: kind === 'build' ? 'billing_run.queued' : 'billing_run.finalise_queued', entityType: 'billing_run', entityId: id, change: { month, kind } });
      return id;
    });
    if (created === null) {
      const active = await this.store.activeOfMonth(this.dataSource.manager, month);
      if (active === null) return this.start(month, kind, actor); // it ended in between: queue a new one
      return { created: false, run: await this.get(active) };
    }
    await this.queue.enqueue(BILLING_QUEUE, 'plan', { runId: created }, { jobId: `plan-${created}`, attempts: 5 });
    return { created: true, run: await this.get(created) };
  }

  async get(id: string): Promise<BillingRunDto> {
    const row = await this.store.get(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Billing run');
    return runDto(row);
  }

  async list(month?: string): Promise<BillingRunDto[]> {
    const ids = await this.store.recent(this.dataSource.manager, month ?? null);
    return Promise.all(ids.map((id) => this.get(id)));
  }

  // ---- the jobs ----

  /** Marks the run running, lists its suppliers once, and queues a job per batch still pending. */
  async plan(runId: string): Promise<void> {
    const run = await this.dataSource.transaction(async (manager) => {
      const state = await this.store.state(manager, runId);
      if (!state || (state.status !== 'queued' && state.status !== 'running')) return null;
      const row = await this.store.transition(manager, runId, state.status, 'running', 'system');
      if (!row) return null;
      if ((await this.store.countItems(manager, runId)) === 0) {
        // A draft with nothing left to bill is planned too, so that its run drops it.
        const drafts = await this.statementStore.draftSuppliers(manager, row.month);
        const suppliers = row.kind === 'build' ? [...new Set([...(await this.ledger.suppliersToBill(manager, row.month)), ...drafts])].sort() : drafts;
        const planned = batches(suppliers, BILLING_BATCH_SIZE).flatMap((batch, index) => batch.map((supplierId) => ({ supplierId, batch: index })));
        await this.store.insertItems(manager, runId, planned);
      }
      return row;
    });
    if (run === null) return;
    // A batch job id is unique per planning: enqueued twice in one planning it runs once; a later planning
    // (after lost work) sends the still-pending batches again, and the run items keep each supplier to once.
    for (const batch of await this.store.pendingBatches(this.dataSource.manager, runId)) {
      await this.queue.enqueue(BILLING_QUEUE, 'batch', { runId, batch }, { jobId: `batch-${runId}-${run.plan_generation ?? 0}-${batch}`, attempts: 5 });
    }
    await this.completeIfDone(runId);
  }

  /** Works through one batch's pending suppliers, each in its own transaction. */
  async runBatch(runId: string, batch: number, reportProgress: (percent: number) => Promise<void>): Promise<number> {
    const run = await this.store.state(this.dataSource.manager, runId);
    if (!run || run.status !== 'running') return 0;
    const items = await this.store.pendingOfBatch(this.dataSource.manager, runId, batch);
    let done = 0;
    for (const supplierId of items) {
      // Terms are read before the transaction: inside it only its own connection may be used (the embedded database has one).
      if (run.kind === 'build') {
        const terms = await this.statements.terms(supplierId, this.clock.today());
        await this.dataSource.transaction((manager) => this.billSupplier(manager, runId, run.month, terms));
      } else {
        const draft = await this.statementStore.ofSupplierMonth(this.dataSource.manager, supplierId, run.month, false);
        const terms = draft ? await this.statements.terms(supplierId, draft.issuedOn) : null;
        await this.dataSource.transaction((manager) => this.finaliseSupplier(manager, runId, run.month, supplierId, draft?.issuedOn ?? null, terms));
      }
      done += 1;
      await reportProgress(progressPercent(done, items.length));
    }
    await this.completeIfDone(runId);
    return done;
  }

  /**
   * Plans again the runs that are unfinished with nothing done for a while: their jobs were lost (Redis
   * restarted empty, or an in-process run ended with the process). Planning is idempotent.
   */
  async requeueStalled(quietMs: number): Promise<number> {
    const ids = await this.store.stalled(this.dataSource.manager, quietMs);
    for (const id of ids) await this.queue.enqueue(BILLING_QUEUE, 'plan', { runId: id }, { jobId: `plan-${id}-${Date.now()}`, attempts: 5 });
    if (ids.length > 0) this.logger.warn({ runs: ids }, 'unfinished billing runs planned again');
    return ids.length;
  }

  async fail(runId: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const state = await this.store.state(manager, runId);
      if (!state || (state.status !== 'queued' && state.status !== 'running')) return;
      if (await this.store.transition(manager, runId, state.status, 'failed', 'system', [message.slice(0, 2000)])) await this.audit.record(manager, systemActor('billing'), { action: 'billing_run.failed', entityType: 'billing_run', entityId: runId, change: { error: message.slice(0, 500) } });
    });
  }

  /**
   * A supplier's draft of the month: its totals as of now (the watermark), not its lines, so the work is a
   * sum per VAT rate. A final statement is kept; a draft with nothing left to bill is dropped.
   */
  private async billSupplier(manager: EntityManager, runId: string, month: CalendarMonth, terms: StatementTerms): Promise<void> {
    const supplierId = terms.supplier.id;
    if (!(await this.claimItem(manager, runId, supplierId, month))) return;
    const existing = await this.statementStore.ofSupplierMonth(manager, supplierId, month, true);
    const action = billingRunAction(existing?.status ?? null);
    if (existing && action === 'keep') return this.itemDone(manager, runId, supplierId, existing.id);
    const { sessions, credits } = await this.ledger.windowTotals(manager, { supplierId, month, approvedThrough: null });
    const placed = billedInMonth(credits, month);
    const lines = sessions.reduce((n, rate) => n + rate.lines, 0) + placed.length;
    if (lines === 0) {
      if (existing) await this.statementStore.deleteDraft(manager, existing.id);
      return this.itemDone(manager, runId, supplierId, null);
    }
    const totals = statementTotals(
      [...sessions.map((rate) => ({ vatBasisPoints: rate.vatBasisPoints, minutes: rate.minutes, netOre: rate.approvedOre })), ...placed.map((c) => ({ vatBasisPoints: c.vatBasisPoints, minutes: c.minutes, netOre: c.approvedOre }))],
      terms.supplier.vatRegistered,
    );
    const issuedOn = this.clock.today();
    const draft = { supplierId, month, selfBilled: terms.supplier.kind === 'partner_company', runId, issuedOn, dueOn: statementDueDate(issuedOn, terms.ruleSet), totals };
    let statementId: string;
    if (existing) {
      if (!(await this.statementStore.transition(manager, existing.id, existing.status, { to: 'draft', draft }, 'system'))) throw DomainException.conflict('The statement changed meanwhile');
      statementId = existing.id;
    } else {
      statementId = await this.statementStore.insertDraft(manager, draft);
    }
    await this.itemDone(manager, runId, supplierId, statementId);
    await this.audit.record(manager, systemActor('billing'), {
      action: 'statement.drafted',
      entityType: 'statement',
      entityId: statementId,
      change: { runId, supplierId, month, lines, netOre: totals.netOre, totalOre: totals.totalOre },
    });
  }

  private async finaliseSupplier(manager: EntityManager, runId: string, month: CalendarMonth, supplierId: string, issuedOn: string | null, terms: StatementTerms | null): Promise<void> {
    if (!(await this.claimItem(manager, runId, supplierId, month))) return;
    const existing = await this.statementStore.ofSupplierMonth(manager, supplierId, month, true);
    if (!existing || existing.status === 'final') return this.itemDone(manager, runId, supplierId, existing?.id ?? null);
    // Rebuilt between the read of its terms and the lock: the job's next try reads them again.
    if (terms === null || existing.issuedOn !== issuedOn) throw DomainException.conflict('The draft changed while it was being made final');
    const number = await this.statements.finalise(manager, existing, terms, runId);
    await this.itemDone(manager, runId, supplierId, number === null ? null : existing.id);
  }

  private claimItem(manager: EntityManager, runId: string, supplierId: string, month: CalendarMonth): Promise<boolean> {
    return this.store.claimItem(manager, runId, supplierId, month);
  }

  private itemDone(manager: EntityManager, runId: string, supplierId: string, statementId: string | null): Promise<void> {
    return this.store.itemDone(manager, runId, supplierId, statementId);
  }

  private async completeIfDone(runId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const state = await this.store.state(manager, runId);
      if (state?.status !== 'running') return;
      const row = await this.store.transition(manager, runId, 'running', 'completed', 'system');
      if (!row) return;
      const statements = await this.store.countStatements(manager, runId);
      await this.audit.record(manager, systemActor('billing'), { action: 'billing_run.completed', entityType: 'billing_run', entityId: runId, change: { month: row.month, kind: row.kind, statements } });
      this.logger.log({ runId, month: row.month, kind: row.kind, statements }, 'billing run completed');
    });
  }
}

function runDto(row: BillingRunRow): BillingRunDto {
  const total = Number(row.total);
  const done = Number(row.done);
  return {
    id: row.id,
    month: row.month,
    kind: row.kind,
    status: row.status,
    suppliersTotal: total,
    suppliersDone: done,
    percent: row.status === 'completed' ? 100 : total === 0 ? 0 : progressPercent(done, total),
    statements: Number(row.statements),
    error: row.error,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
