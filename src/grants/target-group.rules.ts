import type { ErrorDetail } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { DATE_WINDOW, isInDateWindow } from '../common/time/date-window';
import { CommonErrorCode } from '../common/errors/common.errors';
import type { TargetGroup } from '../rules/rule-set';
import { GrantsErrorCode } from './grants.errors';

/**
 * A citizen's target group over time (målgruppe; Copenhagen 000, fn. 1): each entry is in force from its day until
 * the next. A grant's target group at its start, which decides refund category, minimum contact and account code,
 * is the one in force on its start. Pure.
 */
export interface TargetGroupEntry {
  targetGroup: TargetGroup;
  effectiveFrom: CalendarDate;
}

/** The first target group a citizen is registered with is in force from the start of the date window. */
export const FIRST_TARGET_GROUP_FROM: CalendarDate = DATE_WINDOW.from;

/** The target group in force on `date`, or null before the first entry. */
export function targetGroupInForce(history: readonly TargetGroupEntry[], date: CalendarDate): TargetGroup | null {
  let found: TargetGroupEntry | null = null;
  for (const entry of history) {
    if (compareDates(entry.effectiveFrom, date) <= 0 && (found === null || compareDates(entry.effectiveFrom, found.effectiveFrom) > 0)) found = entry;
  }
  return found?.targetGroup ?? null;
}

/** The days a change from `effectiveFrom` is in force: until the next later entry (exclusive), or open. */
export function changeReach(history: readonly TargetGroupEntry[], effectiveFrom: CalendarDate): { from: CalendarDate; until: CalendarDate | null } {
  let until: CalendarDate | null = null;
  for (const entry of history) {
    if (compareDates(entry.effectiveFrom, effectiveFrom) > 0 && (until === null || compareDates(entry.effectiveFrom, until) < 0)) until = entry.effectiveFrom;
  }
  return { from: effectiveFrom, until };
}

export interface GrantAtStart {
  reference: string;
  status: string;
  start: CalendarDate;
  targetGroupAtStart: TargetGroup;
}

/**
 * Which grants a change of target group from `effectiveFrom` re-targets: those starting in its reach whose target
 * group at start differs. A grant not yet approved (proposed, sent back) takes the new target group; an approved
 * one (active, ended) may have been invoiced, billed and claimed under its target group, so a change that would
 * alter it is refused (409 target_group_alters_grant, naming the grants): a final statement or submitted claim never
 * changes.
 */
export function checkTargetGroupChange(input: { history: readonly TargetGroupEntry[]; targetGroup: TargetGroup; effectiveFrom: CalendarDate; grants: readonly GrantAtStart[] }): {
  problems: ErrorDetail[];
  retarget: string[];
  reach: { from: CalendarDate; until: CalendarDate | null };
} {
  if (!isInDateWindow(input.effectiveFrom)) {
    return {
      problems: [{ field: 'effectiveFrom', rule: CommonErrorCode.DateWindow, message: `effectiveFrom must lie from ${DATE_WINDOW.from} to ${DATE_WINDOW.to}, got ${input.effectiveFrom}`, values: { date: input.effectiveFrom, from: DATE_WINDOW.from, to: DATE_WINDOW.to } }],
      retarget: [],
      reach: { from: input.effectiveFrom, until: null },
    };
  }
  const reach = changeReach(input.history, input.effectiveFrom);
  const reached = input.grants.filter(
    (grant) => compareDates(grant.start, reach.from) >= 0 && (reach.until === null || compareDates(grant.start, reach.until) < 0) && grant.targetGroupAtStart !== input.targetGroup,
  );
  const approved = reached.filter((grant) => grant.status === 'active' || grant.status === 'ended').map((grant) => grant.reference);
  const problems: ErrorDetail[] = approved.length
    ? [
        {
          field: 'effectiveFrom',
          rule: GrantsErrorCode.TargetGroupAltersGrant,
          message: `the change from ${input.effectiveFrom} would alter the target group at the start of the approved grant${approved.length > 1 ? 's' : ''} ${approved.join(', ')}`,
          values: { effectiveFrom: input.effectiveFrom, grants: approved.join(', ') },
        },
      ]
    : [];
  return { problems, retarget: reached.filter((grant) => !approved.includes(grant.reference)).map((grant) => grant.reference), reach };
}
