import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { JobQueue } from '../common/queue/job-queue';
import { type CalendarDate, type CalendarMonth } from '../common/time/calendar-date';
import { DeliveryLedgerService } from '../invoices/delivery-ledger.service';
import type { RuleSetValues } from '../rules/rule-set';
import { RulesService } from '../rules/rules.service';
import type { Supplier } from '../suppliers/supplier.entity';
import { SuppliersService } from '../suppliers/suppliers.service';
import { batches, billingMonthProblems, progressPercent } from './billing-run.rules';
import { buildStatement } from './statement.rules';
import { StatementsService } from './statements.service';
import { Clock } from '../common/time/clock';

export const BILLING_QUEUE = 'billing';
/** Suppliers per batch job: small enough that several workers share a month, large enough to keep jobs few. */
export const BILLING_BATCH_SIZE = 10;

export type BillingRunKind = 'build' | 'finalise';

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

interface BillingTerms {
  supplier: Supplier;
  issuedOn: CalendarDate;
  ruleSet: RuleSetValues;
}

interface RunRow {
  id: string;
  month: string;
  kind: BillingRunKind;
  status: BillingRunDto['status'];
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  total: string;
  done: string;
  statements: string;
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
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly ledger: DeliveryLedgerService,
    private readonly suppliers: SuppliersService,
    private readonly rules: RulesService,
    private readonly statements: StatementsService,
    private readonly clock: Clock,
  ) {}

  /** Queues a run of the month, or answers the run already going (created: false). */
  async start(month: string, kind: BillingRunKind, actor: Actor): Promise<{ created: boolean; run: BillingRunDto }> {
    const problems = billingMonthProblems(month, this.clock.today(), kind);
    if (problems.length > 0) throw DomainException.rule(kind === 'build' ? 'The month cannot be billed' : 'The month cannot be made final', problems);
    const created = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO billing_run (month, kind, status, started_by) VALUES ($1, $2, 'queued', $3)
         ON CONFLICT (month) WHERE status IN ('queued', 'running') DO NOTHING RETURNING id`,
        [month, kind, actor.userId],
      )) as Array<{ id: string }>;
      if (!row) return null;
      await this.audit.record(manager, actor, { action: kind === 'build' ? 'billing_run.queued' : 'billing_run.finalise_queued', entityType: 'billing_run', entityId: row.id, change: { month, kind } });
      return row.id;
    });
    if (created === null) {
      const [active] = (await this.dataSource.query(`SELECT id FROM billing_run WHERE month = $1 AND status IN ('queued', 'running')`, [month])) as Array<{ id: string }>;
      return { created: false, run: await this.get(active.id) };
    }
    await this.queue.enqueue(BILLING_QUEUE, 'plan', { runId: created }, { jobId: `plan-${created}`, attempts: 5 });
    return { created: true, run: await this.get(created) };
  }

  async get(id: string): Promise<BillingRunDto> {
    const [row] = (await this.dataSource.query(
      `SELECT r.id, r.month, r.kind, r.status, r.error, r.created_at, r.started_at, r.finished_at,
              (SELECT count(*) FROM billing_run_item i WHERE i.run_id = r.id) AS total,
              (SELECT count(*) FROM billing_run_item i WHERE i.run_id = r.id AND i.status = 'done') AS done,
              (SELECT count(*) FROM billing_run_item i WHERE i.run_id = r.id AND i.statement_id IS NOT NULL) AS statements
         FROM billing_run r WHERE r.id = $1`,
      [id],
    )) as RunRow[];
    if (!row) throw DomainException.notFound('Billing run');
    return runDto(row);
  }

  async list(month?: string): Promise<BillingRunDto[]> {
    const rows = (await this.dataSource.query(`SELECT id FROM billing_run ${month ? 'WHERE month = $1' : ''} ORDER BY created_at DESC LIMIT 50`, month ? [month] : [])) as Array<{ id: string }>;
    return Promise.all(rows.map((row) => this.get(row.id)));
  }

  // ---- the jobs ----

  /** Marks the run running, lists its suppliers once, and queues a job per batch still pending. */
  async plan(runId: string): Promise<void> {
    const run = await this.dataSource.transaction(async (manager) => {
      // An UPDATE answers [rows, affected].
      const [[row]] = (await manager.query(
        `UPDATE billing_run SET status = 'running', started_at = COALESCE(started_at, now()), plan_generation = plan_generation + 1
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING month, kind, plan_generation`,
        [runId],
      )) as [Array<{ month: string; kind: BillingRunKind; plan_generation: number }>, number];
      if (!row) return null;
      const [{ n }] = (await manager.query(`SELECT count(*) AS n FROM billing_run_item WHERE run_id = $1`, [runId])) as Array<{ n: string }>;
      if (n === '0') {
        const suppliers = row.kind === 'build' ? await this.ledger.suppliersToBill(manager, row.month) : await this.statements.draftSuppliers(manager, row.month);
        const planned = batches(suppliers, BILLING_BATCH_SIZE).flatMap((batch, index) => batch.map((supplierId) => ({ supplierId, index })));
        if (planned.length > 0) {
          await manager.query(
            `INSERT INTO billing_run_item (run_id, supplier_id, batch) SELECT $1, * FROM unnest($2::uuid[], $3::int[]) ON CONFLICT DO NOTHING`,
            [runId, planned.map((p) => p.supplierId), planned.map((p) => p.index)],
          );
        }
      }
      return row;
    });
    if (run === null) return;
    const pending = (await this.dataSource.query(`SELECT DISTINCT batch FROM billing_run_item WHERE run_id = $1 AND status = 'pending' ORDER BY batch`, [runId])) as Array<{ batch: number }>;
    // A batch job id is unique per planning: enqueued twice in one planning it runs once; a later planning
    // (after lost work) sends the still-pending batches again, and the run items keep each supplier to once.
    for (const { batch } of pending) {
      await this.queue.enqueue(BILLING_QUEUE, 'batch', { runId, batch }, { jobId: `batch-${runId}-${run.plan_generation}-${batch}`, attempts: 5 });
    }
    await this.completeIfDone(runId);
  }

  /** Works through one batch's pending suppliers, each in its own transaction. */
  async runBatch(runId: string, batch: number, reportProgress: (percent: number) => Promise<void>): Promise<number> {
    const [run] = (await this.dataSource.query(`SELECT month, kind, status FROM billing_run WHERE id = $1`, [runId])) as Array<{ month: string; kind: BillingRunKind; status: string }>;
    if (!run || run.status !== 'running') return 0;
    const items = (await this.dataSource.query(`SELECT supplier_id FROM billing_run_item WHERE run_id = $1 AND batch = $2 AND status = 'pending' ORDER BY supplier_id`, [runId, batch])) as Array<{ supplier_id: string }>;
    let done = 0;
    for (const item of items) {
      if (run.kind === 'build') {
        // Read before the transaction: inside it only its own connection may be used (the embedded database has one).
        const terms = await this.billingTerms(item.supplier_id);
        await this.dataSource.transaction((manager) => this.billSupplier(manager, runId, run.month, terms));
      } else {
        await this.dataSource.transaction((manager) => this.finaliseSupplier(manager, runId, run.month, item.supplier_id));
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
    const rows = (await this.dataSource.query(
      `SELECT r.id FROM billing_run r
        WHERE r.status IN ('queued', 'running') AND r.created_at < now() - make_interval(secs => $1)
          AND COALESCE((SELECT max(i.done_at) FROM billing_run_item i WHERE i.run_id = r.id), r.started_at, r.created_at) < now() - make_interval(secs => $1)`,
      [quietMs / 1000],
    )) as Array<{ id: string }>;
    for (const { id } of rows) await this.queue.enqueue(BILLING_QUEUE, 'plan', { runId: id }, { jobId: `plan-${id}-${Date.now()}`, attempts: 5 });
    if (rows.length > 0) this.logger.warn({ runs: rows.map((r) => r.id) }, 'unfinished billing runs planned again');
    return rows.length;
  }

  async fail(runId: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [, affected] = (await manager.query(`UPDATE billing_run SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`, [runId, message.slice(0, 2000)])) as [unknown, number];
      if (affected === 1) await this.audit.record(manager, systemActor('billing'), { action: 'billing_run.failed', entityType: 'billing_run', entityId: runId, change: { error: message.slice(0, 500) } });
    });
  }

  private async billingTerms(supplierId: string): Promise<BillingTerms> {
    const supplier = await this.suppliers.get(supplierId, AccessScope.unrestricted());
    const issuedOn = this.clock.today();
    return { supplier, issuedOn, ruleSet: await this.rules.valuesInForce(issuedOn) };
  }

  private async billSupplier(manager: EntityManager, runId: string, month: CalendarMonth, { supplier, issuedOn, ruleSet }: BillingTerms): Promise<void> {
    const supplierId = supplier.id;
    if (!(await this.claimItem(manager, runId, supplierId, month))) return;
    const existing = await this.statements.forSupplierMonth(manager, supplierId, month);
    if (existing?.status === 'final') return this.itemDone(manager, runId, supplierId, existing.id);
    if (existing) await this.statements.discardDraft(manager, existing.id);
    const deliveries = await this.ledger.billable(manager, supplierId, month);
    if (deliveries.length === 0) return this.itemDone(manager, runId, supplierId, null);
    const statement = buildStatement({
      supplier: { id: supplier.id, name: supplier.name, cvr: supplier.cvr, vatRegistered: supplier.vatRegistered },
      month,
      issuedOn,
      ruleSet,
      selfBilled: supplier.kind === 'partner_company',
      deliveries: deliveries.map((d) => ({
        deliveryId: d.deliveryId,
        grantReference: d.grantReference,
        date: d.date,
        minutes: d.minutes,
        approvedOre: d.approvedOre,
        vatBasisPoints: d.vatBasisPoints,
        mentorType: d.mentorType,
        targetGroupAtStart: d.targetGroupAtStart,
        invoiceNumber: d.selfBilled ? null : d.invoiceNumber,
        kind: d.kind === 'credit' ? 'credit' : 'delivery',
      })),
    });
    const statementId = await this.statements.insertDraft(manager, statement, runId);
    await this.ledger.attach(manager, deliveries.map((d) => d.deliveryId), statementId);
    await this.itemDone(manager, runId, supplierId, statementId);
    await this.audit.record(manager, systemActor('billing'), {
      action: 'statement.drafted',
      entityType: 'statement',
      entityId: statementId,
      change: { runId, supplierId, month, lines: deliveries.length, netOre: statement.totals.netOre, totalOre: statement.totals.totalOre },
    });
  }

  private async finaliseSupplier(manager: EntityManager, runId: string, month: CalendarMonth, supplierId: string): Promise<void> {
    if (!(await this.claimItem(manager, runId, supplierId, month))) return;
    const existing = await this.statements.forSupplierMonth(manager, supplierId, month);
    if (!existing || existing.status === 'final') return this.itemDone(manager, runId, supplierId, existing?.id ?? null);
    await this.statements.finalise(manager, existing.id, runId);
    await this.itemDone(manager, runId, supplierId, existing.id);
  }

  /** Locks the supplier-month and the run item; false when the item is already done (a repeated job). */
  private async claimItem(manager: EntityManager, runId: string, supplierId: string, month: CalendarMonth): Promise<boolean> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('billing:' || $1::text || ':' || $2::text))`, [supplierId, month]);
    const [item] = (await manager.query(`SELECT status FROM billing_run_item WHERE run_id = $1 AND supplier_id = $2 FOR UPDATE`, [runId, supplierId])) as Array<{ status: string }>;
    return item?.status === 'pending';
  }

  private async itemDone(manager: EntityManager, runId: string, supplierId: string, statementId: string | null): Promise<void> {
    await manager.query(`UPDATE billing_run_item SET status = 'done', statement_id = $3, done_at = now() WHERE run_id = $1 AND supplier_id = $2 AND status = 'pending'`, [runId, supplierId, statementId]);
  }

  private async completeIfDone(runId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [[row]] = (await manager.query(
        `UPDATE billing_run SET status = 'completed', finished_at = now()
          WHERE id = $1 AND status = 'running' AND NOT EXISTS (SELECT 1 FROM billing_run_item WHERE run_id = $1 AND status = 'pending')
          RETURNING month, kind`,
        [runId],
      )) as [Array<{ month: string; kind: string }>, number];
      if (!row) return;
      const [{ n }] = (await manager.query(`SELECT count(*) AS n FROM billing_run_item WHERE run_id = $1 AND statement_id IS NOT NULL`, [runId])) as Array<{ n: string }>;
      await this.audit.record(manager, systemActor('billing'), { action: 'billing_run.completed', entityType: 'billing_run', entityId: runId, change: { month: row.month, kind: row.kind, statements: Number(n) } });
      this.logger.log({ runId, month: row.month, kind: row.kind, statements: Number(n) }, 'billing run completed');
    });
  }
}

function runDto(row: RunRow): BillingRunDto {
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
