import type { ErrorDetail } from '../common/errors/domain.exception';
import { addDays, compareDates, type CalendarDate } from '../common/time/calendar-date';
import { EARLY_END_REASONS, type EarlyEndReason } from '../rules/course-rule-set';
import type { MentorType, RuleSetValues } from '../rules/rule-set';
import { latestPeriodEnd } from './grant.rules';
import { GrantsErrorCode } from './grants.errors';

/**
 * Ending a course, and what follows a holistic period (Copenhagen 000, 001): a course that ends before its period
 * does needs a lawful reason of its mentor type (a holistic one only when the citizen is ready for an active offer,
 * or has left the target group); a holistic period that runs out is followed by an active offer (outcome
 * `active_offer`, LBA §§ 92/94) or a new period of 6 months linked to it. Pure.
 */

export interface EndInput {
  ruleSet: Pick<RuleSetValues, 'earlyEndReasons'>;
  mentorType: MentorType;
  /** The last day of the grant's period. */
  end: CalendarDate;
  endedOn: CalendarDate;
  outcome: string;
  reason: EarlyEndReason | null;
}

/** The reasons a course of this mentor type may end early, under the rule set in force on its start. */
export function allowedEarlyEndReasons(ruleSet: Pick<RuleSetValues, 'earlyEndReasons'>, mentorType: MentorType): EarlyEndReason[] {
  return ruleSet.earlyEndReasons[mentorType] ?? [...EARLY_END_REASONS];
}

/** Whether the law limits the early end of this mentor type, so that an early end needs one of its reasons. */
export function earlyEndNeedsReason(ruleSet: Pick<RuleSetValues, 'earlyEndReasons'>, mentorType: MentorType): boolean {
  return ruleSet.earlyEndReasons[mentorType] !== undefined;
}

/** Whether ending on `endedOn` is before the period's last day. */
export function isEarlyEnd(end: CalendarDate, endedOn: CalendarDate): boolean {
  return compareDates(endedOn, end) < 0;
}

/** Everything that stops the end: an early end of a limited mentor type without a reason, or a reason its mentor type does not allow. */
export function checkEnd(input: EndInput): ErrorDetail[] {
  const allowed = allowedEarlyEndReasons(input.ruleSet, input.mentorType);
  const values = { mentorType: input.mentorType, end: input.end, endedOn: input.endedOn, allowed: allowed.join(', ') };
  if (input.reason === null) {
    if (!isEarlyEnd(input.end, input.endedOn) || !earlyEndNeedsReason(input.ruleSet, input.mentorType)) return [];
    return [
      {
        field: 'reason',
        rule: GrantsErrorCode.EndReasonRequired,
        message: `the period runs to ${input.end}; ending it on ${input.endedOn} needs a reason allowed for mentor type ${input.mentorType}: ${allowed.join(', ') || 'none'}`,
        values,
      },
    ];
  }
  if (!allowed.includes(input.reason)) {
    return [
      {
        field: 'reason',
        rule: GrantsErrorCode.EndReasonForMentorType,
        message: `a course of mentor type ${input.mentorType} does not end early for the reason ${input.reason}; the reasons allowed are ${allowed.join(', ') || 'none'}`,
        values: { ...values, reason: input.reason },
      },
    ];
  }
  // Ready for an active offer means the job centre gives one: the outcome says so.
  if (input.reason === 'ready_for_active_offer' && input.outcome !== 'active_offer') {
    return [{ field: 'outcome', rule: GrantsErrorCode.EndReasonOutcome, message: `a course ended because the citizen is ready for an active offer has the outcome active_offer, not ${input.outcome}`, values: { outcome: input.outcome } }];
  }
  return [];
}

export interface PeriodForSuccessor {
  mentorType: MentorType;
  status: string;
  start: CalendarDate;
  end: CalendarDate;
  endedOn: CalendarDate | null;
  outcome: string | null;
}

/** What a holistic period asks for at its end: `needed` until an active offer or a next period answers it. */
export type SuccessorState = 'needed' | 'active_offer' | 'next_period' | null;

/**
 * What follows the period: nothing for another mentor type, a grant not yet approved or one ended early for another
 * reason; `active_offer` when it ended with that outcome; `next_period` when a period is linked to it; else `needed`.
 */
export function successorState(period: PeriodForSuccessor, hasSuccessor: boolean): SuccessorState {
  if (period.mentorType !== 'holistic') return null;
  if (hasSuccessor) return 'next_period';
  if (period.outcome === 'active_offer') return 'active_offer';
  if (period.status === 'active') return 'needed';
  if (period.status === 'ended' && period.endedOn !== null && !isEarlyEnd(period.end, period.endedOn)) return 'needed';
  return null;
}

/** The next period's days: from the day after the previous one to at most holisticPeriodMonths later. */
export function successorPeriod(ruleSet: Pick<RuleSetValues, 'holisticPeriodMonths'>, previousEnd: CalendarDate): { start: CalendarDate; end: CalendarDate } {
  const start = addDays(previousEnd, 1);
  return { start, end: latestPeriodEnd(start, ruleSet.holisticPeriodMonths) };
}

/** Why no next period can follow: not holistic, a next period already linked, or the course ended early or in an active offer. */
export function checkSuccessor(period: PeriodForSuccessor, hasSuccessor: boolean): { problem: ErrorDetail | null; conflict: boolean } {
  if (period.mentorType !== 'holistic') {
    return { problem: { rule: GrantsErrorCode.SuccessorHolisticOnly, message: `only a holistic mentor period is followed by a new period; this grant is of mentor type ${period.mentorType}`, values: { mentorType: period.mentorType } }, conflict: false };
  }
  if (hasSuccessor) return { problem: { rule: GrantsErrorCode.SuccessorExists, message: 'a next period is already linked to this period' }, conflict: true };
  if (successorState(period, false) !== 'needed') {
    return {
      problem: { rule: GrantsErrorCode.SuccessorNotAfterEarlyEnd, message: `the period is ${period.status}${period.outcome ? ` with the outcome ${period.outcome}` : ''}; a next period follows an approved period that runs or ran to its end`, values: { status: period.status } },
      conflict: true,
    };
  }
  return { problem: null, conflict: false };
}
