import type { ErrorDetail } from '../common/errors/domain.exception';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import type { Finding } from './finding';
import { HOLDABLE_STATUSES, type HoldableStatus, type InvoiceStatus } from './invoice-lifecycle.rules';

/**
 * Hold and dispute (tilbageholdelse og indsigelse). Pure rules.
 *
 * A hold: finance holds an invoice with a reason and a release date; it is active until finance releases it or
 * the release date has passed (the system releases it then, see InvoiceHoldsService.releaseDue).
 *
 * A finding answer: the supplier answers a line's findings once, accepting them or disputing them with a
 * comment; a dispute stays open until finance resolves it by approving or rejecting the invoice, or because the
 * supplier sent a replacement invoice or a credit note for it.
 */
export const HOLD_STATUSES = ['active', 'released'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export const HOLD_TRANSITIONS: readonly Transition<HoldStatus>[] = [{ from: 'active', to: 'released', roles: ['finance', 'system'] }];

export const ANSWER_STATUSES = ['accepted', 'disputed', 'resolved'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

export const RESOLUTIONS = ['approved', 'rejected', 'replaced', 'credited'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** A disputed line is resolved once, by finance or by the invoice's decision (the system). */
export const ANSWER_TRANSITIONS: readonly Transition<AnswerStatus>[] = [{ from: 'disputed', to: 'resolved', roles: ['finance', 'system'] }];

export function holdTransitionProblem(from: HoldStatus, to: HoldStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('invoice_hold', HOLD_TRANSITIONS, from, to, role);
}

export function answerTransitionProblem(from: AnswerStatus, to: AnswerStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('finding_answer', ANSWER_TRANSITIONS, from, to, role);
}

export function isHoldable(status: InvoiceStatus): status is HoldableStatus {
  return (HOLDABLE_STATUSES as readonly string[]).includes(status);
}

/** Why a hold with this release date cannot be placed today, or null. The release date lies after today. */
export function holdProblem(releaseOn: CalendarDate, today: CalendarDate): ErrorDetail | null {
  if (compareDates(releaseOn, today) <= 0) {
    return { field: 'releaseOn', rule: 'release_after_today', message: `the release date ${releaseOn} must lie after today (${today})`, values: { releaseOn, today } };
  }
  return null;
}

/** Whether an active hold with this release date is due for release today: its release date has come. */
export function holdIsDue(releaseOn: CalendarDate, today: CalendarDate): boolean {
  return compareDates(releaseOn, today) <= 0;
}

/** The invoice states in which the supplier may still answer findings (nothing is decided yet). */
export function canAnswer(status: InvoiceStatus): boolean {
  return status === 'validated' || status === 'held';
}

/** Why a line's findings cannot be answered, or null: the line must have findings and be unanswered. */
export function answerProblem(lineNo: number, findings: readonly Finding[] | null, answered: boolean): ErrorDetail | null {
  if (findings === null) return { field: 'lineNo', rule: 'line_exists', message: `the invoice has no line ${lineNo}`, values: { lineNo } };
  if (findings.length === 0) return { field: 'lineNo', rule: 'line_has_findings', message: `line ${lineNo} has no findings to answer`, values: { lineNo } };
  if (answered) return { field: 'lineNo', rule: 'answered_once', message: `line ${lineNo} is already answered`, values: { lineNo } };
  return null;
}

/** Why finance cannot resolve a dispute this way, or null. Replacement and credit need the supplier's document. */
export function resolutionProblem(resolution: Resolution, documents: { replacement: boolean; creditNote: boolean }): ErrorDetail | null {
  if (resolution === 'replaced' && !documents.replacement) {
    return { field: 'resolution', rule: 'replacement_received', message: 'no replacement invoice referring to this invoice has been received from the supplier' };
  }
  if (resolution === 'credited' && !documents.creditNote) {
    return { field: 'resolution', rule: 'credit_note_received', message: 'no credit note referring to this invoice has been received from the supplier' };
  }
  return null;
}
