import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { JobQueue } from '../common/queue/job-queue';
import { type CalendarMonth } from '../common/time/calendar-date';
import { InvoiceHoldsService } from '../invoices/invoice-holds.service';
import { DeliveryLedgerService } from '../invoices/delivery-ledger.service';
import { batches, billingMonthProblems, progressPercent } from './billing-run.rules';
import { billingRunAction, statementDueDate, statementTotals, type StatementTotals } from './statement.rules';
import { StatementStore, type DraftBatch } from './statement.store';
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
    private readonly holds: InvoiceHoldsService,
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
    // A hold whose release date has come no longer keeps its invoice off the statements this run builds.
    await this.holds.releaseDue();
    const run = await this.dataSource.transaction(async (manager) => {
      const state = await this.store.state(manager, runId);
      if (!state || (state.status !== 'queued' && state.status !== 'running')) return null;
      const row = await this.store.transition(manager, runId, state.status, 'running', 'system');
      if (!row) return null;
      if ((await this.store.countItems(manager, runId)) === 0) {
        // A draft with nothing left to bill is planned too, so that its run drops it; a finalising run also takes
        // the final statements whose PDF an earlier run did not get to store.
        const suppliers =
          row.kind === 'build'
            ? [...new Set([...(await this.ledger.suppliersToBill(manager, row.month, await this.store.closedMonthsBefore(manager, row.month))), ...(await this.statementStore.draftSuppliers(manager, row.month))])].sort()
            : await this.statementStore.suppliersToFinalise(manager, row.month);
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

  /**
   * Works through one batch's pending suppliers. A draft batch is one transaction whatever its size: the
   * supplier-months locked together, their totals summed in one grouped read, the drafts written and audited
   * in a few set-based statements. Finalising stays one transaction per supplier (each takes a number).
   */
  async runBatch(runId: string, batch: number, reportProgress: (percent: number) => Promise<void>): Promise<number> {
    const run = await this.store.batchWork(this.dataSource.manager, runId, batch);
    if (!run || run.status !== 'running') return 0;
    const items = run.pending;
    let done = 0;
    if (run.kind === 'build') {
      if (items.length > 0) {
        // Terms are read before the transaction: inside it only its own connection may be used (the embedded database has one).
        const issuedOn = this.clock.today();
        const terms = await this.statements.termsOfMany(items, issuedOn);
        done = await this.dataSource.transaction((manager) => this.billSuppliers(manager, runId, run.month, issuedOn, items, terms));
      }
      await reportProgress(100);
    } else {
      for (const supplierId of items) {
        const draft = await this.statementStore.ofSupplierMonth(this.dataSource.manager, supplierId, run.month, false);
        const terms = draft?.status === 'draft' ? await this.statements.terms(supplierId, draft.issuedOn) : null;
        const toRender = await this.dataSource.transaction((manager) => this.finaliseSupplier(manager, runId, run.month, supplierId, draft?.issuedOn ?? null, terms));
        // The PDF is drawn with no lock held; its item is done when the PDF is stored.
        if (toRender !== null) await this.statements.storePdf(toRender, runId, (manager) => this.itemDone(manager, runId, supplierId, toRender));
        done += 1;
        await reportProgress(progressPercent(done, items.length));
      }
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
   * A batch of suppliers' drafts of the month: their totals as of now (the watermark), not their lines, so
   * the work is one sum per supplier and VAT rate. A final statement is kept; a draft with nothing left to
   * bill is dropped. Each statement drafted is audited. Answers the suppliers done.
   */
  private async billSuppliers(manager: EntityManager, runId: string, month: CalendarMonth, issuedOn: string, suppliers: string[], terms: Map<string, StatementTerms>): Promise<number> {
    const pending = await this.store.claimItems(manager, runId, suppliers, month);
    if (pending.length === 0) return 0;
    const existing = await this.statementStore.ofSuppliersMonthForUpdate(manager, pending, month);
    const windows = await this.ledger.windowTotals(manager, pending, month, await this.store.closedMonthsBefore(manager, month));
    const done: Array<{ supplierId: string; statementId: string | null }> = [];
    const dropped: string[] = [];
    const inserts: DraftBatch['drafts'] = [];
    const updates: DraftBatch['drafts'] = [];
    const audited = new Map<string, { lines: number; totals: StatementTotals }>();
    let dueOn: string | null = null;
    for (const supplierId of pending) {
      const statement = existing.get(supplierId) ?? null;
      if (statement && billingRunAction(statement.status) === 'keep') {
        done.push({ supplierId, statementId: statement.id });
        continue;
      }
      const { sessions, credits } = windows.get(supplierId) ?? { sessions: [], credits: [] };
      const placed = billedInMonth(credits, month);
      const lines = sessions.reduce((n, rate) => n + rate.lines, 0) + placed.length;
      if (lines === 0) {
        if (statement) dropped.push(statement.id);
        done.push({ supplierId, statementId: null });
        continue;
      }
      const supplierTerms = terms.get(supplierId);
      if (!supplierTerms) throw DomainException.notFound('Supplier');
      dueOn ??= statementDueDate(issuedOn, supplierTerms.ruleSet);
      const totals = statementTotals(
        [...sessions.map((rate) => ({ vatBasisPoints: rate.vatBasisPoints, minutes: rate.minutes, netOre: rate.approvedOre })), ...placed.map((c) => ({ vatBasisPoints: c.vatBasisPoints, minutes: c.minutes, netOre: c.approvedOre }))],
        supplierTerms.supplier.vatRegistered,
      );
      const selfBilled = supplierTerms.supplier.kind === 'partner_company';
      if (statement) updates.push({ key: statement.id, selfBilled, totals });
      else inserts.push({ key: supplierId, selfBilled, totals });
      audited.set(supplierId, { lines, totals });
    }
    if ((await this.statementStore.deleteDrafts(manager, dropped)) !== dropped.length) throw DomainException.conflict('A statement changed meanwhile');
    const shared = { month, runId, issuedOn, dueOn: dueOn ?? issuedOn };
    if ((await this.statementStore.redraft(manager, { ...shared, drafts: updates }, 'system')) !== updates.length) throw DomainException.conflict('A statement changed meanwhile');
    const inserted = await this.statementStore.insertDrafts(manager, { ...shared, drafts: inserts });
    const statementOf = (supplierId: string): string => inserted.get(supplierId) ?? (existing.get(supplierId)?.id as string);
    for (const supplierId of audited.keys()) done.push({ supplierId, statementId: statementOf(supplierId) });
    await this.store.itemsDone(manager, runId, done);
    await this.audit.recordMany(
      manager,
      systemActor('billing'),
      [...audited].map(([supplierId, { lines, totals }]) => ({
        action: 'statement.drafted',
        entityType: 'statement',
        entityId: statementOf(supplierId),
        change: { runId, supplierId, month, lines, netOre: totals.netOre, totalOre: totals.totalOre },
      })),
    );
    return pending.length;
  }

  /**
   * Numbers a supplier's draft of the month (or finds it final already). Answers the final statement whose
   * PDF is still to be rendered and stored, its run item still pending; null when the item is done.
   */
  private async finaliseSupplier(manager: EntityManager, runId: string, month: CalendarMonth, supplierId: string, issuedOn: string | null, terms: StatementTerms | null): Promise<string | null> {
    if (!(await this.claimItem(manager, runId, supplierId, month))) return null;
    const existing = await this.statementStore.ofSupplierMonth(manager, supplierId, month, true);
    if (!existing) {
      await this.itemDone(manager, runId, supplierId, null);
      return null;
    }
    if (existing.status !== 'draft') return existing.id; // its PDF, if not stored yet, is stored next
    // Rebuilt between the read of its terms and the lock: the job's next try reads them again.
    if (terms === null || existing.issuedOn !== issuedOn) throw DomainException.conflict('The draft changed while it was being made final');
    const number = await this.statements.finalise(manager, existing, terms, runId);
    if (number !== null) return existing.id;
    await this.itemDone(manager, runId, supplierId, null);
    return null;
  }

  private claimItem(manager: EntityManager, runId: string, supplierId: string, month: CalendarMonth): Promise<boolean> {
    return this.store.claimItem(manager, runId, supplierId, month);
  }

  private itemDone(manager: EntityManager, runId: string, supplierId: string, statementId: string | null): Promise<void> {
    return this.store.itemDone(manager, runId, supplierId, statementId);
  }

  private async completeIfDone(runId: string): Promise<void> {
    // Most batches end with others still pending: one read says so, without a transaction. The last batch's
    // read comes after every other batch committed, so it sees none pending and completes the run.
    if (await this.store.anyPending(this.dataSource.manager, runId)) return;
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
