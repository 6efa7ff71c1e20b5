import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import type { CalendarDate } from '../common/time/calendar-date';
import { refundClaimTransitionProblem, type FrameUse, type RefundClaim, type RefundClaimStatus, type RefundLine, type RefundTotals } from './refund.rules';

/** A claim's row without its content. */
export interface RefundClaimRow {
  id: string;
  from: CalendarDate;
  to: CalendarDate;
  status: RefundClaimStatus;
  expenseOre: number;
  claimedOre: number;
  error: string | null;
  createdAt: Date;
  submittedAt: Date | null;
}

interface ClaimRecord {
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

/** A claim with its totals and frames and one page of its lines; `summary` is null until computed. */
export interface RefundClaimPageRow extends RefundClaimRow {
  summary: Pick<RefundClaim, 'from' | 'to' | 'totals' | 'frames'> | null;
  lineCount: number;
  lines: RefundLine[];
}

/** What the submit reads of a claim, locked. */
export interface SubmittableClaim {
  status: RefundClaimStatus;
  from: CalendarDate;
  to: CalendarDate;
  computation: number;
  frames: FrameUse[] | null;
  totals: RefundTotals | null;
}

/** A claim's state, locked, before a worker moves it. */
export interface RefundClaimState {
  status: RefundClaimStatus;
  computation: number;
}

/** What a transition answers: the claim's period and computation, as of after the move. */
export interface RefundClaimMoved {
  from: CalendarDate;
  to: CalendarDate;
  computation: number;
}

/** A move of a claim with what it writes; `computation` (null: any) guards against an older job's move. */
export type RefundClaimChange =
  | { to: 'computing' }
  | { to: 'draft'; claim: RefundClaim }
  | { to: 'failed'; error: string }
  | { to: 'queued' }
  | { to: 'submitted'; userId: string | null };

const COLUMNS = `id, period_from::text AS period_from, period_to::text AS period_to, status, expense_ore, claimed_ore, error, created_at, submitted_at`;

// Claims computed before 1763888600000 also hold every expense; nothing reads that list any more.
const CONTENT = `content - 'expenses'`;

// Every transition answers the claim's period and computation; $2 is the state it leaves, $3 the computation (null: any).
const MOVED = `RETURNING period_from::text AS "from", period_to::text AS "to", computation`;
const GUARD = `WHERE id = $1 AND status = $2 AND ($3::int IS NULL OR computation = $3)`;

export const REFUND_CLAIM_SQL = sqlQueries('refunds/refund-claim.store', {
  insertQueued: `INSERT INTO refund_claim (period_from, period_to, status, created_by) VALUES ($1, $2, 'queued', $3) RETURNING id`,
  list: `SELECT ${COLUMNS} FROM refund_claim ORDER BY created_at DESC LIMIT 100`,
  // One page of the lines, cut out in the database.
  page: `
    SELECT ${COLUMNS}, content - 'lines' - 'expenses' AS summary, coalesce(jsonb_array_length(content->'lines'), 0) AS line_count,
           (SELECT coalesce(jsonb_agg(l.line ORDER BY l.n), '[]'::jsonb) FROM jsonb_array_elements(content->'lines') WITH ORDINALITY AS l(line, n) WHERE l.n > $2 AND l.n <= $2 + $3) AS lines
      FROM refund_claim WHERE id = $1`,
  withContent: `SELECT ${COLUMNS}, ${CONTENT} AS content FROM refund_claim WHERE id = $1`,
  stateForUpdate: `SELECT status, computation FROM refund_claim WHERE id = $1 FOR UPDATE`,
  submittableForUpdate: `
    SELECT status, period_from::text AS "from", period_to::text AS "to", computation, content->'frames' AS frames, content->'totals' AS totals
      FROM refund_claim WHERE id = $1 FOR UPDATE`,
  stalled: `SELECT id, computation FROM refund_claim WHERE status IN ('queued', 'computing') AND status_changed_at < now() - make_interval(secs => $1)`,
  // One submission at a time, so each sees the frame the others left.
  lockSubmissions: `SELECT pg_advisory_xact_lock(hashtext('refund-claims'))`,
  claimedByYear: `
    SELECT (f->>'year')::int AS year, sum((f->>'claimedOre')::bigint)::text AS claimed
      FROM refund_claim c, jsonb_array_elements(c.content->'frames') f WHERE c.status = 'submitted' AND c.id <> $1 GROUP BY 1`,
  // The transitions: one conditional UPDATE each.
  toComputing: `UPDATE refund_claim SET status = 'computing', status_changed_at = now() ${GUARD} ${MOVED}`,
  toDraft: `UPDATE refund_claim SET status = 'draft', status_changed_at = now(), content = $4, expense_ore = $5, claimed_ore = $6, error = NULL ${GUARD} ${MOVED}`,
  toFailed: `UPDATE refund_claim SET status = 'failed', status_changed_at = now(), error = $4 ${GUARD} ${MOVED}`,
  // Computed again: a new computation, so a job of the old one leaves it alone.
  toQueued: `UPDATE refund_claim SET status = 'queued', status_changed_at = now(), computation = computation + 1, content = NULL, expense_ore = 0, claimed_ore = 0 ${GUARD} ${MOVED}`,
  toSubmitted: `UPDATE refund_claim SET status = 'submitted', status_changed_at = now(), submitted_by = $4, submitted_at = now() ${GUARD} ${MOVED}`,
});

const Q = REFUND_CLAIM_SQL;


function claimRow(row: ClaimRecord): RefundClaimRow {
  return {
    id: row.id,
    from: row.period_from,
    to: row.period_to,
    status: row.status,
    expenseOre: readOre(row.expense_ore),
    claimedOre: readOre(row.claimed_ore),
    error: row.error,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
  };
}

function changeQuery(change: RefundClaimChange): { sql: string; params: unknown[] } {
  switch (change.to) {
    case 'computing':
      return { sql: Q.toComputing, params: [] };
    case 'draft':
      return { sql: Q.toDraft, params: [JSON.stringify(change.claim), change.claim.totals.expenseOre, change.claim.totals.claimedOre] };
    case 'failed':
      return { sql: Q.toFailed, params: [change.error] };
    case 'queued':
      return { sql: Q.toQueued, params: [] };
    case 'submitted':
      return { sql: Q.toSubmitted, params: [change.userId] };
  }
}

/** Every query on refund_claim. */
@Injectable()
export class RefundClaimStore {
  async insertQueued(manager: EntityManager, from: CalendarDate, to: CalendarDate, userId: string | null): Promise<string> {
    const [row] = (await manager.query(Q.insertQueued, [from, to, userId])) as Array<{ id: string }>;
    return row.id;
  }

  async list(manager: EntityManager): Promise<RefundClaimRow[]> {
    return ((await manager.query(Q.list)) as ClaimRecord[]).map(claimRow);
  }

  async page(manager: EntityManager, id: string, offset: number, limit: number): Promise<RefundClaimPageRow | null> {
    const [row] = (await manager.query(Q.page, [id, offset, limit])) as Array<ClaimRecord & { summary: RefundClaimPageRow['summary']; line_count: number; lines: RefundLine[] }>;
    return row ? { ...claimRow(row), summary: row.summary, lineCount: row.line_count, lines: row.lines } : null;
  }

  /** The claim with its computed content (null until computed). */
  async withContent(manager: EntityManager, id: string): Promise<(RefundClaimRow & { content: RefundClaim | null }) | null> {
    const [row] = (await manager.query(Q.withContent, [id])) as Array<ClaimRecord & { content: RefundClaim | null }>;
    return row ? { ...claimRow(row), content: row.content } : null;
  }

  /** The claim's state, locked until the caller's transaction ends; null when there is no such claim. */
  async stateForUpdate(manager: EntityManager, id: string): Promise<RefundClaimState | null> {
    const [row] = (await manager.query(Q.stateForUpdate, [id])) as RefundClaimState[];
    return row ?? null;
  }

  async submittableForUpdate(manager: EntityManager, id: string): Promise<SubmittableClaim | null> {
    const [row] = (await manager.query(Q.submittableForUpdate, [id])) as SubmittableClaim[];
    return row ?? null;
  }

  /** Claims queued or computing whose state has not changed for `quietMs`. */
  async stalled(manager: EntityManager, quietMs: number): Promise<Array<{ id: string; computation: number }>> {
    return (await manager.query(Q.stalled, [quietMs / 1000])) as Array<{ id: string; computation: number }>;
  }

  /** Holds the submissions' lock until the caller's transaction ends. */
  async lockSubmissions(manager: EntityManager): Promise<void> {
    await manager.query(Q.lockSubmissions);
  }

  /** What the submitted claims other than this one took of each year's frame. */
  async claimedByYear(manager: EntityManager, exceptId: string): Promise<Map<number, number>> {
    const rows = (await manager.query(Q.claimedByYear, [exceptId])) as Array<{ year: number; claimed: string }>;
    return new Map(rows.map((row) => [row.year, readOre(row.claimed)]));
  }

  /**
   * Moves a claim from `from` as `change` says in one conditional UPDATE: the claim's period and computation
   * when this call won, null when it was no longer `from` or of `computation` (another job won). A move the
   * table does not allow `role` is a 409 naming both states.
   */
  async transition(manager: EntityManager, id: string, from: RefundClaimStatus, change: RefundClaimChange, role: TransitionRole, computation: number | null = null): Promise<RefundClaimMoved | null> {
    this.assertTransition(from, change.to, role);
    const { sql, params } = changeQuery(change);
    // An UPDATE … RETURNING answers [rows, affected].
    const [[row]] = (await manager.query(sql, [id, from, computation, ...params])) as [RefundClaimMoved[], number];
    return row ?? null;
  }

  /** A 409 naming both states when the table does not let `role` move a claim from `from` to `to`. */
  assertTransition(from: RefundClaimStatus, to: RefundClaimStatus, role: TransitionRole): void {
    const problem = refundClaimTransitionProblem(from, to, role);
    if (problem) throw DomainException.conflict(`The refund claim cannot go from ${from} to ${to}`, [problem]);
  }
}
