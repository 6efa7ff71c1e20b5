import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import { DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { JobQueue } from '../common/queue/job-queue';
import { compareDates, isCalendarDate } from '../common/time/calendar-date';
import { DeliveryLedgerService } from '../invoices/delivery-ledger.service';
import { RulesService } from '../rules/rules.service';
import { toCsv, toXlsx } from '../common/export/table-export';
import { templatesDir } from '../common/web/view-engine';
import type { DocumentLanguage } from '../documents/grant-agreement.document';
import { loadRefundClaimTexts, renderRefundClaim } from '../documents/refund-claim.document';
import { refundClaimTable } from './refund-claim.export';
import { refundClaimView } from './refund-claim.view';
import { computeRefundClaim, refundClaimProblems, type RefundClaim, type RefundClaimInput } from './refund.rules';
import { Clock } from '../common/time/clock';

export const REFUND_QUEUE = 'refunds';

export interface RefundClaimDto {
  id: string;
  from: string;
  to: string;
  status: 'queued' | 'draft' | 'submitted' | 'failed';
  expenseOre: number;
  claimedOre: number;
  error: string | null;
  createdAt: string;
  submittedAt: string | null;
  claim: RefundClaim | null;
}

interface ClaimRow {
  id: string;
  period_from: string;
  period_to: string;
  status: RefundClaimDto['status'];
  expense_ore: string;
  claimed_ore: string;
  content: RefundClaim | null;
  error: string | null;
  created_at: Date;
  submitted_at: Date | null;
}

const COLUMNS = `id, period_from::text AS period_from, period_to::text AS period_to, status, expense_ore, claimed_ore, content, error, created_at, submitted_at`;

/**
 * Refund claims (refusionsanmodninger): computed in a job from the period's approved expenses with the
 * rules in force on each expense's date, capped by what submitted claims left of each year's frame; a
 * draft until finance submits it, then frozen.
 */
@Injectable()
export class RefundClaimsService {
  private readonly logger = new Logger('RefundClaims');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly ledger: DeliveryLedgerService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
  ) {}

  async request(from: string, to: string, actor: Actor): Promise<RefundClaimDto> {
    const problems = periodProblems(from, to, this.clock.today());
    if (problems.length > 0) throw DomainException.rule('The period cannot be claimed', problems);
    if (!(await this.ledger.hasApprovedExpenses(this.dataSource.manager, from, to))) throw DomainException.rule('The period has no approved expenses', [{ field: 'from', rule: 'period_not_empty', message: `no approved expenses are dated from ${from} to ${to}`, values: { from, to } }]);
    const id = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(`INSERT INTO refund_claim (period_from, period_to, status, created_by) VALUES ($1, $2, 'queued', $3) RETURNING id`, [from, to, actor.userId])) as Array<{ id: string }>;
      await this.audit.record(manager, actor, { action: 'refund_claim.requested', entityType: 'refund_claim', entityId: row.id, change: { from, to } });
      return row.id;
    });
    await this.queue.enqueue(REFUND_QUEUE, 'compute', { claimId: id }, { jobId: `refund-${id}`, attempts: 3 });
    return this.get(id);
  }

  async list(): Promise<RefundClaimDto[]> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM refund_claim ORDER BY created_at DESC LIMIT 100`)) as ClaimRow[];
    return rows.map((row) => dto(row, false));
  }

  async get(id: string): Promise<RefundClaimDto> {
    const [row] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM refund_claim WHERE id = $1`, [id])) as ClaimRow[];
    if (!row) throw DomainException.notFound('Refund claim');
    return dto(row, true);
  }

  /** The job: computes a queued (or re-computes a draft) claim; a submitted one is never touched. */
  async compute(id: string): Promise<void> {
    const [claim] = (await this.dataSource.query(`SELECT period_from::text AS "from", period_to::text AS "to", status FROM refund_claim WHERE id = $1`, [id])) as Array<{ from: string; to: string; status: string }>;
    if (!claim || claim.status === 'submitted') return;
    const input = await this.input(claim.from, claim.to, id);
    const problems = refundClaimProblems(input);
    if (problems.length > 0) {
      await this.dataSource.query(`UPDATE refund_claim SET status = 'failed', error = $2 WHERE id = $1 AND status IN ('queued', 'draft')`, [id, problems.map((p) => p.message).join('; ').slice(0, 2000)]);
      return;
    }
    const result = computeRefundClaim(input);
    await this.dataSource.transaction(async (manager) => {
      const [, affected] = (await manager.query(
        `UPDATE refund_claim SET status = 'draft', content = $2, expense_ore = $3, claimed_ore = $4, error = NULL WHERE id = $1 AND status IN ('queued', 'draft')`,
        [id, JSON.stringify(result), result.totals.expenseOre, result.totals.claimedOre],
      )) as [unknown, number];
      if (affected === 1) await this.audit.record(manager, systemActor('refunds'), { action: 'refund_claim.computed', entityType: 'refund_claim', entityId: id, change: { ...result.totals, lines: result.lines.length } });
    });
    this.logger.log({ claimId: id, lines: result.lines.length, claimedOre: result.totals.claimedOre }, 'refund claim computed');
  }

  /** Claims still queued a while after they were asked for have lost their job: queue them again. */
  async requeueStalled(quietMs: number): Promise<number> {
    const rows = (await this.dataSource.query(`SELECT id FROM refund_claim WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1)`, [quietMs / 1000])) as Array<{ id: string }>;
    for (const { id } of rows) await this.queue.enqueue(REFUND_QUEUE, 'compute', { claimId: id }, { jobId: `refund-${id}-${Date.now()}`, attempts: 3 });
    return rows.length;
  }

  async fail(id: string, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE refund_claim SET status = 'failed', error = $2 WHERE id = $1 AND status = 'queued'`, [id, message.slice(0, 2000)]);
  }

  /** Submits a draft: recomputed against the claims submitted meanwhile, then frozen. A second submit is a conflict. */
  /** The claim as CSV, XLSX or PDF; only a computed claim (draft or submitted) can be exported. */
  async export(id: string, format: 'csv' | 'xlsx' | 'pdf', lang: DocumentLanguage = 'da'): Promise<{ filename: string; contentType: string; body: Buffer | string }> {
    const claim = await this.get(id);
    if (claim.claim === null) {
      throw DomainException.conflict('The claim is not computed yet', [{ field: 'status', rule: 'computed', message: `the claim is ${claim.status}; wait until it is a draft`, values: { status: claim.status } }]);
    }
    const base = `refusion-${claim.from}-${claim.to}`;
    if (format === 'csv') return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(refundClaimTable(claim.claim)) };
    if (format === 'xlsx') return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: toXlsx(refundClaimTable(claim.claim)) };
    const texts = loadRefundClaimTexts(lang, templatesDir());
    const pdf = await renderRefundClaim(refundClaimView(claim.claim, { draft: claim.status !== 'submitted', submittedAt: claim.submittedAt?.slice(0, 10) ?? null }, texts, lang));
    return { filename: `${base}.pdf`, contentType: 'application/pdf', body: pdf };
  }

  async submit(id: string, actor: Actor): Promise<RefundClaimDto> {
    const current = await this.get(id);
    if (current.status !== 'draft') {
      throw DomainException.conflict('Only a draft claim can be submitted', [{ field: 'status', rule: 'draft_only', message: `the claim is ${current.status}`, values: { status: current.status } }]);
    }
    await this.dataSource
      .transaction(async (manager) => {
        // One submission at a time, so each sees the frame the others left.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('refund-claims'))`);
        const input = await this.input(current.from, current.to, id, manager);
        const result = computeRefundClaim(input);
        const [, affected] = (await manager.query(
          `UPDATE refund_claim SET status = 'submitted', content = $2, expense_ore = $3, claimed_ore = $4, submitted_by = $5, submitted_at = now() WHERE id = $1 AND status = 'draft'`,
          [id, JSON.stringify(result), result.totals.expenseOre, result.totals.claimedOre, actor.userId],
        )) as [unknown, number];
        if (affected !== 1) throw DomainException.conflict('The claim was submitted meanwhile', [{ field: 'status', rule: 'draft_only', message: 'the claim is no longer a draft' }]);
        await this.audit.record(manager, actor, { action: 'refund_claim.submitted', entityType: 'refund_claim', entityId: id, change: { from: current.from, to: current.to, ...result.totals } });
      })
      .catch((error: unknown) => {
        const driver = error instanceof QueryFailedError ? (error.driverError as { constraint?: string }) : undefined;
        if (driver?.constraint === 'refund_claim_no_overlap') {
          throw DomainException.conflict('Another submitted claim covers part of this period', [{ field: 'from', rule: 'no_overlap', message: 'two submitted claims never cover the same day' }]);
        }
        throw error;
      });
    return this.get(id);
  }

  private async input(from: string, to: string, exceptId: string, manager: EntityManager = this.dataSource.manager): Promise<RefundClaimInput> {
    const expenses = await this.ledger.approvedExpenses(manager, from, to);
    const frames = (await manager.query(`SELECT year, frame_ore FROM budget_year`)) as Array<{ year: number; frame_ore: string | null }>;
    const claimed = (await manager.query(
      `SELECT (f->>'year')::int AS year, sum((f->>'claimedOre')::bigint) AS claimed
         FROM refund_claim c, jsonb_array_elements(c.content->'frames') f WHERE c.status = 'submitted' AND c.id <> $1 GROUP BY 1`,
      [exceptId],
    )) as Array<{ year: number; claimed: string }>;
    return {
      from,
      to,
      expenses: expenses.map((e) => ({ deliveryId: e.deliveryId, date: e.date, amountExclVatOre: e.approvedOre, targetGroupAtStart: e.targetGroupAtStart, mentorType: e.mentorType, supplierId: e.supplierId })),
      ruleSets: (await this.rules.versions(manager)).map((v) => ({ effectiveFrom: v.effectiveFrom, values: v.values })),
      frames: new Map(frames.map((f) => [f.year, f.frame_ore === null ? null : Number(f.frame_ore)])),
      claimedBefore: new Map(claimed.map((c) => [c.year, Number(c.claimed)])),
    };
  }
}

function periodProblems(from: string, to: string, today: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isCalendarDate(from)) problems.push({ field: 'from', rule: 'calendar_date', message: `from must be a date YYYY-MM-DD, got '${from}'` });
  if (!isCalendarDate(to)) problems.push({ field: 'to', rule: 'calendar_date', message: `to must be a date YYYY-MM-DD, got '${to}'` });
  if (problems.length > 0) return problems;
  if (compareDates(from, to) > 0) problems.push({ field: 'to', rule: 'period_order', message: `the period ends on ${to}, before it starts on ${from}`, values: { from, to } });
  if (compareDates(to, today) > 0) problems.push({ field: 'to', rule: 'not_in_future', message: `${to} is in the future; claim only expenses already approved`, values: { to, today } });
  return problems;
}

function dto(row: ClaimRow, withClaim: boolean): RefundClaimDto {
  return {
    id: row.id,
    from: row.period_from,
    to: row.period_to,
    status: row.status,
    expenseOre: Number(row.expense_ore),
    claimedOre: Number(row.claimed_ore),
    error: row.error,
    createdAt: row.created_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
    claim: withClaim ? row.content : null,
  };
}
