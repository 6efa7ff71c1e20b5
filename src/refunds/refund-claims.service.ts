import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { JobQueue } from '../common/queue/job-queue';
import { compareDates, isCalendarDate } from '../common/time/calendar-date';
import { DeliveryLedgerService } from '../invoices/delivery-ledger.service';
import { RulesService } from '../rules/rules.service';
import { toCsv, toReadableCsv, toReadableXlsx, toXlsx } from '../common/export/table-export';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import type { DocumentLanguage } from '../documents/grant-agreement.document';
import { loadRefundClaimTexts, renderRefundClaim } from '../documents/refund-claim.document';
import { readableRefundClaimTable, refundClaimTable } from './refund-claim.export';
import { refundClaimView } from './refund-claim.view';
import { computeRefundClaim, frameChanges, refundClaimProblems, refundClaimTransitionProblem, ruleStretches, type FrameUse, type RefundClaimInput, type RefundClaimStatus, type RefundLine, type RefundTotals } from './refund.rules';
import { BudgetYearStore } from './budget-year.store';
import { RefundClaimStore, type RefundClaimRow } from './refund-claim.store';
import { Clock } from '../common/time/clock';
import { CommonErrorCode } from '../common/errors/common.errors';
import { RefundsErrorCode } from './refunds.errors';

export const REFUND_QUEUE = 'refunds';

export type { RefundClaimStatus };

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
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly ledger: DeliveryLedgerService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
    private readonly store: RefundClaimStore,
    private readonly budgetYears: BudgetYearStore,
  ) {}

  async request(from: string, to: string, actor: Actor): Promise<RefundClaimDto> {
    const problems = periodProblems(from, to, this.clock.today());
    if (problems.length > 0) throw DomainException.rule('The period cannot be claimed', problems);
    if (!(await this.ledger.hasApprovedExpenses(this.dataSource.manager, from, to))) throw DomainException.rule('The period has no approved expenses', [{ field: 'from', rule: RefundsErrorCode.PeriodNotEmpty, message: `no approved expenses are dated from ${from} to ${to}`, values: { from, to } }]);
    const id = await this.dataSource.transaction(async (manager) => {
      const claimId = await this.store.insertQueued(manager, from, to, actor.userId);
      await this.audit.record(manager, actor, { action: 'refund_claim.requested', entityType: 'refund_claim', entityId: claimId, change: { from, to } });
      return claimId;
    });
    await this.enqueue(id, 1);
    return this.get(id);
  }

  async list(): Promise<RefundClaimDto[]> {
    return (await this.store.list(this.dataSource.manager)).map((row) => dto(row, null));
  }

  /** The claim with its totals, frames and one page of its lines, cut out in the database. */
  async get(id: string, page: LinePage = { offset: 0, limit: CLAIM_LINE_PAGE }): Promise<RefundClaimDto> {
    const row = await this.store.page(this.dataSource.manager, id, page.offset, page.limit);
    if (!row) throw DomainException.notFound('Refund claim');
    const claim: RefundClaimPage | null =
      row.summary === null
        ? null
        : { from: row.summary.from, to: row.summary.to, totals: row.summary.totals, frames: row.summary.frames, lines: row.lines, lineCount: row.lineCount, offset: page.offset, nextOffset: page.offset + page.limit < row.lineCount ? page.offset + page.limit : null };
    return dto(row, claim);
  }

  /**
   * The job: computes one computation of a claim. `computing` from the start, so the page and submit see it;
   * a retry of the same computation takes it again, anything else (a submitted claim, a newer computation) is left alone.
   */
  async compute(id: string, computation?: number): Promise<void> {
    const claim = await this.dataSource.transaction(async (manager) => {
      const before = await this.store.stateForUpdate(manager, id);
      // A job of a claim that is gone, submitted or failed leaves it alone.
      if (!before || refundClaimTransitionProblem(before.status, 'computing', 'system') !== null) return null;
      const row = await this.store.transition(manager, id, before.status, { to: 'computing' }, 'system', computation ?? null);
      if (row && before.status === 'queued') await this.audit.record(manager, systemActor('refunds'), { action: 'refund_claim.computing', entityType: 'refund_claim', entityId: id, change: { computation: row.computation } });
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
      const moved = await this.store.transition(manager, id, 'computing', { to: 'draft', claim: result }, 'system', claim.computation);
      if (moved) await this.audit.record(manager, systemActor('refunds'), { action: 'refund_claim.computed', entityType: 'refund_claim', entityId: id, change: { ...result.totals, lines: result.lines.length, computation: claim.computation } });
      return moved !== null;
    });
    if (stored) this.logger.log({ claimId: id, computation: claim.computation, lines: result.lines.length, expenses: input.aggregates.reduce((n, a) => n + a.expenses, 0), claimedOre: result.totals.claimedOre }, 'refund claim computed');
  }

  /**
   * Claims queued or computing for a while whose job is gone (Redis lost it, or the process of an in-process
   * queue ended) are enqueued again under the same job id; a job still waiting or running is left to finish,
   * and one that ended without a result marks its claim failed.
   */
  async requeueStalled(quietMs: number): Promise<number> {
    const rows = await this.store.stalled(this.dataSource.manager, quietMs);
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
      const before = await this.store.stateForUpdate(manager, id);
      // Only a claim still queued or computing fails; a draft or submitted one keeps its result.
      if (!before || refundClaimTransitionProblem(before.status, 'failed', 'system') !== null) return;
      const moved = await this.store.transition(manager, id, before.status, { to: 'failed', error: message.slice(0, 2000) }, 'system', computation ?? null);
      if (moved) await this.audit.record(manager, systemActor('refunds'), { action: 'refund_claim.failed', entityType: 'refund_claim', entityId: id, change: { error: message.slice(0, 500) } });
    });
  }

  /** The claim as CSV, XLSX or PDF with all its lines; only a computed claim (draft or submitted) can be exported. */
  async export(id: string, format: 'csv' | 'xlsx' | 'pdf', lang: DocumentLanguage = 'da', raw = false): Promise<{ filename: string; contentType: string; body: Buffer | string }> {
    const row = await this.store.withContent(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Refund claim');
    const claim = { ...dto(row, null), content: row.content };
    if (claim.content === null) throw notComputed(claim.status);
    const base = `refusion-${claim.from}-${claim.to}`;
    if (format === 'csv' || format === 'xlsx') {
      const contentType = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      if (raw) return { filename: `${base}.${format}`, contentType, body: format === 'csv' ? toCsv(refundClaimTable(claim.content)) : await toXlsx(refundClaimTable(claim.content)) };
      const t = (key: string, params: Record<string, unknown> = {}) => translate(this.catalogues, lang, key, params);
      const table = readableRefundClaimTable(claim.content, claim.status === 'submitted' ? 'submitted' : 'draft', t, lang);
      return { filename: `${base}.${format}`, contentType, body: format === 'csv' ? toReadableCsv(table) : await toReadableXlsx(table) };
    }
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
        await this.store.lockSubmissions(manager);
        const claim = await this.store.submittableForUpdate(manager, id);
        if (!claim) throw DomainException.notFound('Refund claim');
        if (claim.status === 'queued' || claim.status === 'computing') {
          throw DomainException.conflict('The claim is still being computed', [{ field: 'status', rule: RefundsErrorCode.Computing, message: `the claim is ${claim.status}; submit it once it is a draft`, values: { status: claim.status } }]);
        }
        // A submitted or failed claim: a 409 naming both states.
        this.store.assertTransition(claim.status, 'submitted', roleOf(actor));
        const { frames, claimedBefore } = await this.frameState(manager, id);
        const changes = frameChanges(claim.frames ?? [], frames, claimedBefore);
        if (changes.length > 0) {
          await this.store.transition(manager, id, 'draft', { to: 'queued' }, roleOf(actor));
          await this.audit.record(manager, actor, { action: 'refund_claim.recomputing', entityType: 'refund_claim', entityId: id, change: { computation: claim.computation + 1, reasons: changes.map((c) => c.message) } });
          return { changes, computation: claim.computation + 1 };
        }
        const submitted = await this.store.transition(manager, id, 'draft', { to: 'submitted', userId: actor.userId }, roleOf(actor));
        if (!submitted) throw DomainException.conflict('The claim was submitted meanwhile', [{ field: 'status', rule: CommonErrorCode.DraftOnly, message: 'the claim is no longer a draft' }]);
        await this.audit.record(manager, actor, { action: 'refund_claim.submitted', entityType: 'refund_claim', entityId: id, change: { from: claim.from, to: claim.to, computation: claim.computation, ...claim.totals } });
        return null;
      })
      .catch((error: unknown) => {
        const driver = error instanceof QueryFailedError ? (error.driverError as { constraint?: string }) : undefined;
        if (driver?.constraint === 'refund_claim_no_overlap') {
          throw DomainException.conflict('Another submitted claim covers part of this period', [{ field: 'from', rule: RefundsErrorCode.NoOverlap, message: 'two submitted claims never cover the same day' }]);
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
    return { frames: await this.budgetYears.frames(manager), claimedBefore: await this.store.claimedByYear(manager, exceptId) };
  }
}

function notComputed(status: RefundClaimStatus): DomainException {
  return DomainException.conflict('The claim is not computed yet', [{ field: 'status', rule: RefundsErrorCode.Computed, message: `the claim is ${status}; wait until it is a draft`, values: { status } }]);
}

function periodProblems(from: string, to: string, today: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isCalendarDate(from)) problems.push({ field: 'from', rule: CommonErrorCode.CalendarDate, message: `from must be a date YYYY-MM-DD, got '${from}'` });
  if (!isCalendarDate(to)) problems.push({ field: 'to', rule: CommonErrorCode.CalendarDate, message: `to must be a date YYYY-MM-DD, got '${to}'` });
  if (problems.length > 0) return problems;
  if (compareDates(from, to) > 0) problems.push({ field: 'to', rule: CommonErrorCode.PeriodOrder, message: `the period ends on ${to}, before it starts on ${from}`, values: { from, to } });
  if (compareDates(to, today) > 0) problems.push({ field: 'to', rule: CommonErrorCode.NotInFuture, message: `${to} is in the future; claim only expenses already approved`, values: { to, today } });
  return problems;
}

/** Who moves a claim: the user's role (the controller lets only finance submit), or the system. */
function roleOf(actor: Actor): TransitionRole {
  if (actor.role === 'anonymous') throw new DomainException(DomainErrorCode.Unauthenticated, 'Sign in to move a refund claim');
  return actor.role;
}

function dto(row: RefundClaimRow, claim: RefundClaimPage | null): RefundClaimDto {
  return {
    id: row.id,
    from: row.from,
    to: row.to,
    status: row.status,
    expenseOre: row.expenseOre,
    claimedOre: row.claimedOre,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    submittedAt: row.submittedAt?.toISOString() ?? null,
    claim,
  };
}
