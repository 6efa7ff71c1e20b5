import type { ErrorDetail } from '../common/errors/domain.exception';
import { RuleError } from '../common/errors/rule-error';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { compareDates, firstDayOfMonth, isValidMonth, lastDayOfMonth, monthOf, type CalendarDate } from '../common/time/calendar-date';
import { DATE_WINDOW } from '../common/time/date-window';
import { BillingErrorCode } from './billing.errors';
import { CommonErrorCode } from '../common/errors/common.errors';

/** The first month that can be billed: that of the first day a session, grant or agreement can have. */
export const FIRST_BILLING_MONTH = monthOf(DATE_WINDOW.from);

/**
 * When a month can be billed: a draft run for any month that has begun (drafts are replaced by the next
 * run), final statements only for a month that has ended; never a month before any delivery the portal
 * can hold. Pure.
 */
export function billingMonthProblems(month: unknown, today: CalendarDate, purpose: 'build' | 'finalise'): ErrorDetail[] {
  if (!isValidMonth(month)) return [{ field: 'month', rule: CommonErrorCode.CalendarMonth, message: `month must be YYYY-MM, got '${String(month)}'` }];
  if (compareDates(firstDayOfMonth(month), firstDayOfMonth(FIRST_BILLING_MONTH)) < 0) {
    return [{ field: 'month', rule: CommonErrorCode.DateWindow, message: `${month} is before ${FIRST_BILLING_MONTH}, the first month the portal holds`, values: { month, from: FIRST_BILLING_MONTH } }];
  }
  if (compareDates(firstDayOfMonth(month), today) > 0) {
    return [{ field: 'month', rule: CommonErrorCode.NotInFuture, message: `${month} has not begun (today is ${today})`, values: { month, today } }];
  }
  if (purpose === 'finalise' && compareDates(lastDayOfMonth(month), today) >= 0) {
    return [{ field: 'month', rule: BillingErrorCode.MonthEnded, message: `${month} has not ended; its statements can be made final from the day after ${lastDayOfMonth(month)}`, values: { month, today } }];
  }
  return [];
}

/** Suppliers split into batches of at most `size`, in the order given; each batch is one job. */
export function batches<T>(items: T[], size: number): T[][] {
  // A bug, not input: the size is the constant BILLING_BATCH_SIZE.
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`the batch size must be a whole number of at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Whole percent done, rounded down; an empty run is done. */
export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.floor((Math.min(done, total) * 100) / total);
}

/** The statement number: AF-<year>-<six digits>, gap-free per year. */
export function statementNumber(year: number, sequence: number): string {
  // A year's millionth statement has no number: finalising more fails for good, trying again cannot help.
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > 999_999) {
    throw new RuleError(BillingErrorCode.StatementNumberRange, `statement sequence ${sequence} is outside 1–999999`, { values: { year, sequence, max: 999_999 } });
  }
  return `AF-${year}-${String(sequence).padStart(6, '0')}`;
}

// ---- lifecycle: queued → running → completed or failed ----

export const BILLING_RUN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type BillingRunStatus = (typeof BILLING_RUN_STATUSES)[number];

/**
 * The billing run's transitions: finance queues a run (not a transition: the run is created queued), a
 * worker (system) plans it, plans it again after lost work, completes it, or fails it after its last try.
 */
export const BILLING_RUN_TRANSITIONS: readonly Transition<BillingRunStatus>[] = [
  { from: 'queued', to: 'running', roles: ['system'] },
  { from: 'running', to: 'running', roles: ['system'] },
  { from: 'running', to: 'completed', roles: ['system'] },
  { from: 'queued', to: 'failed', roles: ['system'] },
  { from: 'running', to: 'failed', roles: ['system'] },
];

/** Why `role` may not move a billing run from `from` to `to`, or null when it may. */
export function billingRunTransitionProblem(from: BillingRunStatus, to: BillingRunStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('billing_run', BILLING_RUN_TRANSITIONS, from, to, role);
}
