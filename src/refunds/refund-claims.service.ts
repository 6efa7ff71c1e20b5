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
import { computeRefundClaim, frameChanges, refundClaimProblems, ruleStretches, type FrameUse, type RefundClaim, type RefundClaimInput, type RefundLine, type RefundTotals } from './refund.rules';
import { Clock } from '../common/time/clock';

export const REFUND_QUEUE = 'refunds';

export type RefundClaimStatus = 'queued' | 'computing' | 'draft' | 'submitted' | 'failed';

/** A computed claim as the API answers it: the totals and frames, and one page of its lines. */
export interface RefundClaimPage {
  from: string;
  to: string;
  totals: RefundTotals;
  frames: FrameUse[];
  /** The lines from `offset`, at most the page's limit. */
  lines: RefundLine[];
  lineCount: number;
  offset: number;
  /** Pass as `offset` for the next page; null on the last. */
  nextOffset: number | null;
}

export interface RefundClaimDto {
  id: string;
  from: string;
  to: string;
  status: RefundClaimStatus;
  expenseOre: number;
  claimedOre: number;
  error: string | null;
  createdAt: string;
  submittedAt: string | null;
  claim: RefundClaimPage | null;
}

export interface LinePage {
  offset: number;
  limit: number;
}

/** The lines of a claim in one answer unless `limit` asks otherwise (at most 200). */
export const CLAIM_LINE_PAGE = 50;

interface ClaimRow {
  id: string;
  period_from: string;
  period_to: string;
  status: RefundClaimStatus;
  expense_ore: string;
  claimed_ore: string;
  error: string | null;
  created_at: Date;
  submitted_at: Date | null;
}

interface ClaimPageRow extends ClaimRow {
  summary: Pick<RefundClaim, 'from' | 'to' | 'totals' | 'frames'> | null;
  line_count: number;
  lines: RefundLine[];
}

const COLUMNS = `id, period_from::text AS period_from, period_to::text AS period_to, status, expense_ore, claimed_ore, error, created_at, submitted_at`;

// Claims computed before 1763888600000 also hold every expense; nothing reads that list any more.
const CONTENT = `content - 'expenses'`;

/** The BullMQ job of one computation of a claim: the same id however often it is enqueued. */
export const refundJobId = (claimId: string, computation: number): string => `refund-claim-${claimId}-${computation}`;

/**
 * Refund claims (refusionsanmodninger): computed once in a worker job from the period's approved expenses,
 * summed in the database by rule stretch, target group and mentor type and judged by the rules in force on
 * each stretch, capped by what submitted claims left of each year's frame; a draft until finance submits
 * it as it was computed, then frozen.
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
    await this.enqueue(id, 1);
    return this.get(id);
  }

  async list(): Promise<RefundClaimDto[]> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM refund_claim ORDER BY created_at DESC LIMIT 100`)) as ClaimRow[];
    return rows.map((row) => dto(row, null));
  }

  /** The claim with its totals, frames and one page of its lines, cut out in the database. */
  async get(id: string, page: LinePage = { offset: 0, limit: CLAIM_LINE_PAGE }): Promise<RefundClaimDto> {
    const [row] = (await this.dataSource.query(
      `SELECT ${COLUMNS}, content - 'lines' - 'expenses' AS summary, coalesce(jsonb_array_length(content->'lines'), 0) AS line_count,
              (SELECT coalesce(jsonb_agg(l.line ORDER BY l.n), '[]'::jsonb) FROM jsonb_array_elements(content->'lines') WITH ORDINALITY AS l(line, n) WHERE l.n > $2 AND l.n <= $2 + $3) AS lines
         FROM refund_claim WHERE id = $1`,
      [id, page.offset, page.limit],
    )) as ClaimPageRow[];
    if (!row) throw DomainException.notFound('Refund claim');
    const claim: RefundClaimPage | null =
      row.summary === null
        ? null
        : { from: row.summary.from, to: row.summary.to, totals: row.summary.totals, frames: row.summary.frames, lines: row.lines, lineCount: row.line_count, offset: page.offset, nextOffset: page.offset + page.limit < row.line_count ? page.offset + page.limit : null };
    return dto(row, claim);
  }

  /**
   * The job: computes one computation of a claim. `computing` from the start, so the page and submit see it;
   * a retry of the same computation takes it again, anything else (a submitted claim, a newer computation) is left alone.
   */
  async compute(id: string, computation?: number): Promise<void> {
    const claim = await this.dataSource.transaction(async (manager) => {
      // An UPDATE … RETURNING answers [rows, affected].
      const [[row]] = (await manager.query(
        `UPDATE refund_claim c SET status = 'computing', status_changed_at = now()
           FROM (SELECT id, status FROM refund_claim WHERE id = $1 FOR UPDATE) before
          WHERE c.id = before.id AND c.status IN ('queued', 'computing') AND ($2::int IS NULL OR c.computation = $2)
          RETURNING c.period_from::text AS "from", c.period_to::text AS "to", c.computation, before.status AS before`,
        [id, computation ?? null],
      )) as [Array<{ from: string; to: string; computation: number; before: RefundClaimStatus }>, number];
      if (row?.before === 'queued') await this.audit.record(manager, systemActor('refunds'), { action: 'refund_claim.computing', entityType: 'refund_claim', entityId: id, change: { computation: row.computation } });
      return row;
    });
    if (!claim) return;
    const input = await this.input(claim.from, claim.to, id);
    const problems = refundClaimProblems(input);
    if (problems.length > 0) {
      await this.fail(id, problems.map((p) => p.message).join('; '), claim.computation);
      return;
    }
    const result = computeRefundClaim(input);
    const stored = await this.dataSource.transaction(async (manager) => {
      const [, affected] = (await manager.query(
        `UPDATE refund_claim SET status = 'draft', status_changed_at = now(), content = $2, expense_ore = $3, claimed_ore = $4, error = NULL WHERE id = $1 AND status = 'computing' AND computation = $5`,
        [id, JSON.stringify(result), result.totals.expenseOre, result.totals.claimedOre, claim.computation],
      )) as [unknown, number];
      if (affected === 1) await this.audit.record(manager, systemActor('refunds'), { action: 'refund_claim.computed', entityType: 'refund_claim', entityId: id, change: { ...result.totals, lines: result.lines.length, computation: claim.computation } });
      return affected === 1;
    });
    if (stored) this.logger.log({ claimId: id, computation: claim.computation, lines: result.lines.length, expenses: input.aggregates.reduce((n, a) => n + a.expenses, 0), claimedOre: result.totals.claimedOre }, 'refund claim computed');
  }

  /**
   * Claims queued or computing for a while whose job is gone (Redis lost it, or the process of an in-process
   * queue ended) are enqueued again under the same job id; a job still waiting or running is left to finish,
   * and one that ended without a result marks its claim failed.
   */
  async requeueStalled(quietMs: number): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT id, computation FROM refund_claim WHERE status IN ('queued', 'computing') AND status_changed_at < now() - make_interval(secs => $1)`,
      [quietMs / 1000],
    )) as Array<{ id: string; computation: number }>;
    let requeued = 0;
    for (const { id, computation } of rows) {
      const state = await this.queue.state(REFUND_QUEUE, refundJobId(id, computation));
      if (state === 'unknown') {
        await this.enqueue(id, computation);
        requeued += 1;
      } else if (state === 'completed' || state === 'failed') {
        await this.fail(id, 'the computation ended without a result; ask for the claim again', computation);
      }
    }
    if (requeued > 0) this.logger.warn({ claims: requeued }, 'refund claims whose job was lost enqueued again');
    return requeued;
  }

  async fail(id: string, message: string, computation?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [, affected] = (await manager.query(
        `UPDATE refund_claim SET status = 'failed', status_changed_at = now(), error = $2 WHERE id = $1 AND status IN ('queued', 'computing') AND ($3::int IS NULL OR computation = $3)`,
        [id, message.slice(0, 2000), computation ?? null],
      )) as [unknown, number];
      if (affected === 1) await this.audit.record(manager, systemActor('refunds'), { action: 'refund_claim.failed', entityType: 'refund_claim', entityId: id, change: { error: message.slice(0, 500) } });
    });
  }

  /** The claim as CSV, XLSX or PDF with all its lines; only a computed claim (draft or submitted) can be exported. */
  async export(id: string, format: 'csv' | 'xlsx' | 'pdf', lang: DocumentLanguage = 'da'): Promise<{ filename: string; contentType: string; body: Buffer | string }> {
    const [row] = (await this.dataSource.query(`SELECT ${COLUMNS}, ${CONTENT} AS content FROM refund_claim WHERE id = $1`, [id])) as Array<ClaimRow & { content: RefundClaim | null }>;
    if (!row) throw DomainException.notFound('Refund claim');
    const claim = { ...dto(row, null), content: row.content };
    if (claim.content === null) throw notComputed(claim.status);
    const base = `refusion-${claim.from}-${claim.to}`;
    if (format === 'csv') return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(refundClaimTable(claim.content)) };
    if (format === 'xlsx') return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: toXlsx(refundClaimTable(claim.content)) };
    const texts = loadRefundClaimTexts(lang, templatesDir());
    const pdf = await renderRefundClaim(refundClaimView(claim.content, { draft: claim.status !== 'submitted', submittedAt: claim.submittedAt?.slice(0, 10) ?? null }, texts, lang));
    return { filename: `${base}.pdf`, contentType: 'application/pdf', body: pdf };
  }

  /**
   * Submits a draft as it was computed, then frozen. Nothing is computed here: a claim still computing is a
   * conflict, and a draft whose frames moved since (a frame entered anew, another claim submitted) goes back
   * to a worker to be computed again, and the submit is a conflict that says so. A second submit is a conflict.
   */
  async submit(id: string, actor: Actor): Promise<RefundClaimDto> {
    const stale = await this.dataSource
      .transaction(async (manager) => {
        // One submission at a time, so each sees the frame the others left.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('refund-claims'))`);
        const [claim] = (await manager.query(
          `SELECT status, period_from::text AS "from", period_to::text AS "to", computation, content->'frames' AS frames, content->'totals' AS totals FROM refund_claim WHERE id = $1 FOR UPDATE`,
          [id],
        )) as Array<{ status: RefundClaimStatus; from: string; to: string; computation: number; frames: FrameUse[] | null; totals: RefundTotals | null }>;
        if (!claim) throw DomainException.notFound('Refund claim');
        if (claim.status === 'queued' || claim.status === 'computing') {
          throw DomainException.conflict('The claim is still being computed', [{ field: 'status', rule: 'computing', message: `the claim is ${claim.status}; submit it once it is a draft`, values: { status: claim.status } }]);
        }
        if (claim.status !== 'draft') {
          throw DomainException.conflict('Only a draft claim can be submitted', [{ field: 'status', rule: 'draft_only', message: `the claim is ${claim.status}`, values: { status: claim.status } }]);
        }
        const { frames, claimedBefore } = await this.frameState(manager, id);
        const changes = frameChanges(claim.frames ?? [], frames, claimedBefore);
        if (changes.length > 0) {
          await manager.query(
            `UPDATE refund_claim SET status = 'queued', status_changed_at = now(), computation = computation + 1, content = NULL, expense_ore = 0, claimed_ore = 0 WHERE id = $1 AND status = 'draft'`,
            [id],
          );
          await this.audit.record(manager, actor, { action: 'refund_claim.recomputing', entityType: 'refund_claim', entityId: id, change: { computation: claim.computation + 1, reasons: changes.map((c) => c.message) } });
          return { changes, computation: claim.computation + 1 };
        }
        const [, affected] = (await manager.query(`UPDATE refund_claim SET status = 'submitted', status_changed_at = now(), submitted_by = $2, submitted_at = now() WHERE id = $1 AND status = 'draft'`, [id, actor.userId])) as [unknown, number];
        if (affected !== 1) throw DomainException.conflict('The claim was submitted meanwhile', [{ field: 'status', rule: 'draft_only', message: 'the claim is no longer a draft' }]);
        await this.audit.record(manager, actor, { action: 'refund_claim.submitted', entityType: 'refund_claim', entityId: id, change: { from: claim.from, to: claim.to, computation: claim.computation, ...claim.totals } });
        return null;
      })
      .catch((error: unknown) => {
        const driver = error instanceof QueryFailedError ? (error.driverError as { constraint?: string }) : undefined;
        if (driver?.constraint === 'refund_claim_no_overlap') {
          throw DomainException.conflict('Another submitted claim covers part of this period', [{ field: 'from', rule: 'no_overlap', message: 'two submitted claims never cover the same day' }]);
        }
        throw error;
      });
    if (stale) {
      await this.enqueue(id, stale.computation);
      throw DomainException.conflict('The frame moved since the claim was computed; it is computed again, submit it once it is a draft', stale.changes);
    }
    return this.get(id);
  }

  private async enqueue(id: string, computation: number): Promise<void> {
    await this.queue.enqueue(REFUND_QUEUE, 'compute', { claimId: id, computation }, { jobId: refundJobId(id, computation), attempts: 3 });
  }

  private async input(from: string, to: string, exceptId: string): Promise<RefundClaimInput> {
    const manager = this.dataSource.manager;
    const ruleSets = (await this.rules.versions(manager)).map((v) => ({ effectiveFrom: v.effectiveFrom, values: v.values }));
    const aggregates = await this.ledger.approvedExpenseAggregates(manager, from, to, ruleStretches(ruleSets, from, to));
    return { from, to, aggregates, ruleSets, ...(await this.frameState(manager, exceptId)) };
  }

  /** The years' frames, and what the submitted claims other than this one took of each. */
  private async frameState(manager: EntityManager, exceptId: string): Promise<Pick<RefundClaimInput, 'frames' | 'claimedBefore'>> {
    const frames = (await manager.query(`SELECT year, frame_ore FROM budget_year`)) as Array<{ year: number; frame_ore: string | null }>;
    const claimed = (await manager.query(
      `SELECT (f->>'year')::int AS year, sum((f->>'claimedOre')::bigint) AS claimed
         FROM refund_claim c, jsonb_array_elements(c.content->'frames') f WHERE c.status = 'submitted' AND c.id <> $1 GROUP BY 1`,
      [exceptId],
    )) as Array<{ year: number; claimed: string }>;
    return {
      frames: new Map(frames.map((f) => [f.year, f.frame_ore === null ? null : Number(f.frame_ore)])),
      claimedBefore: new Map(claimed.map((c) => [c.year, Number(c.claimed)])),
    };
  }
}

function notComputed(status: RefundClaimStatus): DomainException {
  return DomainException.conflict('The claim is not computed yet', [{ field: 'status', rule: 'computed', message: `the claim is ${status}; wait until it is a draft`, values: { status } }]);
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

function dto(row: ClaimRow, claim: RefundClaimPage | null): RefundClaimDto {
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
    claim,
  };
}
