import type { ErrorDetail } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { courseTasks, type DueTask, type HeldFollowUp } from './grant.rules';
import type { RuleSetValues } from '../rules/rule-set';
import { GrantsErrorCode } from './grants.errors';

/**
 * The follow-ups and the evaluation the caseworker holds with the citizen (opfølgning, evaluering; Gribskov 004,
 * Copenhagen 000): on a day, in a form, with someone, on the progress toward the goal and the next steps. Pure.
 */

export const FOLLOW_UP_KINDS = ['follow_up', 'evaluation'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export const FOLLOW_UP_FORMS = ['meeting', 'phone', 'video'] as const;
export type FollowUpForm = (typeof FOLLOW_UP_FORMS)[number];

export interface FollowUpInput {
  grant: { status: string; start: CalendarDate; end: CalendarDate };
  heldOn: CalendarDate;
  today: CalendarDate;
}

/** Why a follow-up cannot be recorded on a grant in `status` (a 409): only on an active grant. Null when it can. */
export function followUpStateProblem(status: string): ErrorDetail | null {
  if (status === 'active') return null;
  return { field: 'status', rule: GrantsErrorCode.FollowUpGrantActive, message: `a follow-up is recorded on an active grant, not on one that is ${status}`, values: { status } };
}

/** Why the day is refused (a 422): held inside the grant's period and not after today. */
export function checkFollowUpDay({ grant, heldOn, today }: FollowUpInput): ErrorDetail[] {
  if (compareDates(heldOn, today) > 0) {
    return [{ field: 'heldOn', rule: GrantsErrorCode.FollowUpNotFuture, message: `a follow-up is recorded once held: ${heldOn} is after today, ${today}`, values: { heldOn, today } }];
  }
  if (compareDates(heldOn, grant.start) < 0 || compareDates(heldOn, grant.end) > 0) {
    return [{ field: 'heldOn', rule: GrantsErrorCode.FollowUpInPeriod, message: `the grant runs from ${grant.start} to ${grant.end}; a follow-up held on ${heldOn} lies outside it`, values: { start: grant.start, end: grant.end, heldOn } }];
  }
  return [];
}

/**
 * The task a follow-up or evaluation held on a day closes: the first open follow-up, or the period's evaluation; null
 * when none is open (a follow-up beyond the schedule closes nothing, and is still recorded).
 */
export function taskClosedBy(kind: FollowUpKind, input: { start: CalendarDate; end: CalendarDate; ruleSet: RuleSetValues; held: readonly HeldFollowUp[] }): DueTask | null {
  return courseTasks(input).find((task) => task.kind === kind && task.heldOn === undefined) ?? null;
}
