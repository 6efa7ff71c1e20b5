import { ErrorDetail } from '../common/errors/domain.exception';
import { addDays, addMonths, CalendarDate, compareDates, isCalendarDate, maxDate } from '../common/time/calendar-date';
import { DATE_WINDOW, isInDateWindow } from '../common/time/date-window';
import { describeBand, isInBand, MentorType, RuleSetValues, serviceLevelBand } from '../rules/rule-set';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { CommonErrorCode } from '../common/errors/common.errors';
import { GrantsErrorCode } from './grants.errors';

/**
 * The terms of a grant (bevilling): hours in the level's band, period lengths,
 * extensions and the tasks a grant makes due. The caller picks the rule-set
 * version in force on the grant's start date (ruleSetInForce).
 */

// The level whose periods are capped at level4MaxMonths (Gribskov: “over 4 hours a week, 3 months at a time”).
const LEVEL_4 = 4;

export interface AgreementCover {
  validFrom: CalendarDate;
  /** null: open-ended. */
  validTo: CalendarDate | null;
  mentorTypes: MentorType[];
}

export interface GrantTermsInput {
  ruleSet: RuleSetValues;
  mentorType: MentorType;
  serviceLevel: number;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  agreement: AgreementCover;
}

export interface GrantForExtension {
  mentorType: MentorType;
  serviceLevel: number;
  start: CalendarDate;
  end: CalendarDate;
  extensionsUsed: number;
}

export interface ExtensionInput {
  ruleSet: RuleSetValues;
  grant: GrantForExtension;
  newEnd: CalendarDate;
  agreement: AgreementCover;
}

export interface DueTask {
  kind: 'follow_up' | 'evaluation';
  due: CalendarDate;
  /** The day the caseworker held the follow-up or evaluation that closed this task; absent while it is open. */
  heldOn?: CalendarDate;
}

/** A follow-up or evaluation the caseworker held; an evaluation closes that of the period ending on `periodEnd`. */
export interface HeldFollowUp {
  kind: 'follow_up' | 'evaluation';
  heldOn: CalendarDate;
  periodEnd: CalendarDate;
}

/**
 * The last day of a period of `months` starting on `start`: the day before the same date `months` later
 * (2026-01-01 + 6 months → 2026-06-30). When that date is clamped to a shorter month's end, the period
 * ends the day before it (2024-08-31 + 6 months → 2025-02-27).
 */
export function latestPeriodEnd(start: CalendarDate, months: number): CalendarDate {
  return addDays(addMonths(start, months), -1);
}

/** Everything that stops a caseworker from granting these terms; empty when the grant may be made. */
export function checkGrantTerms(input: GrantTermsInput): ErrorDetail[] {
  return [...checkHours(input), ...checkPeriod(input), ...checkAgreementCovers(input.agreement, input.mentorType, input.start, input.end)];
}

function checkHours({ ruleSet, serviceLevel, minutesPerWeek }: GrantTermsInput): ErrorDetail[] {
  if (!Number.isSafeInteger(minutesPerWeek)) {
    return [{ field: 'minutesPerWeek', rule: GrantsErrorCode.WholeMinutes, message: `minutes per week must be a whole number, got ${minutesPerWeek}` }];
  }
  const band = serviceLevelBand(ruleSet, serviceLevel);
  if (band === null) {
    const known = ruleSet.serviceLevels.map((b) => b.level).join(', ');
    const message = `service level ${serviceLevel} is not one of the levels ${known}`;
    return [{ field: 'serviceLevel', rule: GrantsErrorCode.LevelKnown, message, values: { level: serviceLevel } }];
  }
  if (isInBand(band, minutesPerWeek)) return [];
  return [
    {
      field: 'minutesPerWeek',
      rule: GrantsErrorCode.HoursInBand,
      message: `${minutesPerWeek} minutes per week is outside service level ${serviceLevel} (${describeBand(band)})`,
      values: { minutesPerWeek, level: serviceLevel, min: band.minMinutesExclusive, max: band.maxMinutes },
    },
  ];
}

function checkDates(dates: Record<string, CalendarDate>): ErrorDetail[] {
  return Object.entries(dates).flatMap(([field, value]): ErrorDetail[] => {
    if (!isCalendarDate(value)) return [{ field, rule: CommonErrorCode.CalendarDate, message: `${field} must be a date YYYY-MM-DD, got '${value}'` }];
    if (!isInDateWindow(value)) {
      return [{ field, rule: CommonErrorCode.DateWindow, message: `${field} must lie from ${DATE_WINDOW.from} to ${DATE_WINDOW.to}, got ${value}`, values: { date: value, from: DATE_WINDOW.from, to: DATE_WINDOW.to } }];
    }
    return [];
  });
}

function checkPeriod({ ruleSet, mentorType, serviceLevel, start, end }: GrantTermsInput): ErrorDetail[] {
  const dateErrors = checkDates({ start, end });
  if (dateErrors.length > 0) return dateErrors;
  if (compareDates(end, start) < 0) {
    return [{ field: 'end', rule: CommonErrorCode.PeriodOrder, message: `the period ends on ${end}, before it starts on ${start}`, values: { start, end } }];
  }
  // A holistic mentor period has its own length (“a period of 6 months”), followed by new periods, not extensions.
  const length =
    mentorType === 'holistic'
      ? lengthLimit(GrantsErrorCode.HolisticPeriod, 'a holistic mentor period', start, end, ruleSet.holisticPeriodMonths)
      : lengthLimit(GrantsErrorCode.PeriodLength, 'a grant period', start, end, ruleSet.maxPeriodMonths);
  const level4 = serviceLevel === LEVEL_4 ? lengthLimit(GrantsErrorCode.Level4Length, 'service level 4', start, end, ruleSet.level4MaxMonths) : [];
  return [...length, ...level4];
}

// `what` lasts at most `months` from `from`; one detail when `until` goes past the last allowed day.
function lengthLimit(rule: GrantsErrorCode, what: string, from: CalendarDate, until: CalendarDate, months: number, field = 'end'): ErrorDetail[] {
  const latestEnd = latestPeriodEnd(from, months);
  if (compareDates(until, latestEnd) <= 0) return [];
  return [
    {
      field,
      rule,
      message: `${what} lasts at most ${months} months: from ${from} it may end on ${latestEnd} at the latest, not ${until}`,
      values: { start: from, end: until, maxMonths: months, latestEnd },
    },
  ];
}

function checkAgreementCovers(agreement: AgreementCover, mentorType: MentorType, start: CalendarDate, end: CalendarDate): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (!agreement.mentorTypes.includes(mentorType)) {
    errors.push({
      field: 'mentorType',
      rule: GrantsErrorCode.AgreementCoversMentorType,
      message: `the agreement does not cover mentor type ${mentorType} (it covers ${agreement.mentorTypes.join(', ') || 'none'})`,
      values: { mentorType },
    });
  }
  if (!isCalendarDate(start) || !isCalendarDate(end)) return errors;
  const startsBefore = compareDates(start, agreement.validFrom) < 0;
  const endsAfter = agreement.validTo !== null && compareDates(end, agreement.validTo) > 0;
  if (startsBefore || endsAfter) {
    const validity = agreement.validTo === null ? `from ${agreement.validFrom} with no end` : `from ${agreement.validFrom} to ${agreement.validTo}`;
    errors.push({
      field: startsBefore ? 'start' : 'end',
      rule: GrantsErrorCode.AgreementCoversPeriod,
      message: `the agreement is valid ${validity} and does not cover the period ${start} to ${end}`,
      values: { start, end, validFrom: agreement.validFrom, validTo: agreement.validTo },
    });
  }
  return errors;
}

/**
 * Everything that stops extending a grant to `newEnd`. The extension is a new stretch that starts the day
 * after the current end and is measured like a period: at most maxExtensionMonths, and at most
 * level4MaxMonths at level 4, since level 4 is reassessed every 3 months.
 */
export function checkExtension({ ruleSet, grant, newEnd, agreement }: ExtensionInput): ErrorDetail[] {
  if (grant.mentorType === 'holistic') return [holisticNewPeriod(ruleSet, grant.end)];
  const dateErrors = checkDates({ newEnd });
  if (dateErrors.length > 0) return dateErrors;
  return [
    ...checkExtensionCount(ruleSet, grant),
    ...checkExtensionPeriod(ruleSet, grant, newEnd),
    ...checkAgreementCovers(agreement, grant.mentorType, grant.start, newEnd),
  ];
}

function holisticNewPeriod(ruleSet: RuleSetValues, end: CalendarDate): ErrorDetail {
  const nextStart = addDays(end, 1);
  return {
    rule: GrantsErrorCode.HolisticNewPeriod,
    message:
      `a holistic mentor grant is not extended: if support is still needed after ${end}, ` +
      `grant a new period of at most ${ruleSet.holisticPeriodMonths} months from ${nextStart}`,
    values: { end, nextStart, holisticPeriodMonths: ruleSet.holisticPeriodMonths },
  };
}

function checkExtensionCount(ruleSet: RuleSetValues, grant: GrantForExtension): ErrorDetail[] {
  if (grant.extensionsUsed < ruleSet.maxExtensions) return [];
  return [
    {
      rule: GrantsErrorCode.ExtensionCount,
      message: `the grant has been extended ${grant.extensionsUsed} time(s) and may be extended at most ${ruleSet.maxExtensions} time(s)`,
      values: { extensionsUsed: grant.extensionsUsed, maxExtensions: ruleSet.maxExtensions },
    },
  ];
}

function checkExtensionPeriod(ruleSet: RuleSetValues, grant: GrantForExtension, newEnd: CalendarDate): ErrorDetail[] {
  if (compareDates(newEnd, grant.end) <= 0) {
    return [
      {
        field: 'newEnd',
        rule: GrantsErrorCode.ExtensionAfterEnd,
        message: `the new end ${newEnd} must be after the current end ${grant.end}`,
        values: { end: grant.end, newEnd },
      },
    ];
  }
  const extensionStart = addDays(grant.end, 1);
  const length = lengthLimit(GrantsErrorCode.ExtensionLength, 'an extension', extensionStart, newEnd, ruleSet.maxExtensionMonths, 'newEnd');
  const level4 =
    grant.serviceLevel === LEVEL_4 ? lengthLimit(GrantsErrorCode.Level4Length, 'service level 4', extensionStart, newEnd, ruleSet.level4MaxMonths, 'newEnd') : [];
  return [...length, ...level4];
}

/**
 * The caseworker's tasks for a grant period: a follow-up every followUpIntervalWeeks from the start while
 * before the end, and the effect evaluation evaluationLeadDays before the end (on the start day when the
 * period is shorter than that). For an extended grant, pass the original start and the new end.
 */
export function dueTasks({ start, end, ruleSet }: { start: CalendarDate; end: CalendarDate; ruleSet: RuleSetValues }): DueTask[] {
  // Both are bugs, not input: a grant's period passed checkGrantTerms (period_order), and a rule set passed
  // validateRuleSetValues (positive_integer) before it was stored.
  if (compareDates(end, start) < 0) throw new Error(`the period ends on ${end}, before it starts on ${start}`);
  // A zero interval would never reach the end.
  if (!(ruleSet.followUpIntervalWeeks > 0)) throw new Error(`followUpIntervalWeeks must be above 0, got ${ruleSet.followUpIntervalWeeks}`);
  const tasks: DueTask[] = [];
  const intervalDays = ruleSet.followUpIntervalWeeks * 7;
  for (let due = addDays(start, intervalDays); compareDates(due, end) < 0; due = addDays(due, intervalDays)) {
    tasks.push({ kind: 'follow_up', due });
  }
  tasks.push({ kind: 'evaluation', due: maxDate(start, addDays(end, -ruleSet.evaluationLeadDays)) });
  // Stable sort: on the same day the follow-up comes before the evaluation.
  return tasks.sort((a, b) => compareDates(a.due, b.due));
}

/**
 * The caseworker's tasks of a grant period given the follow-ups and evaluations held (Gribskov 004, Copenhagen 000):
 * the first follow-up falls due followUpIntervalWeeks after the start; each follow-up held closes the first open one
 * and the next falls due followUpIntervalWeeks after the day it was held, while before the end (the ones not yet held
 * are projected from the due date before them). The evaluation falls due evaluationLeadDays before the end and is
 * closed by an evaluation held for the period ending on `end` (an extension makes a new one due). With none held
 * these are dueTasks's tasks.
 */
export function courseTasks({ start, end, ruleSet, held }: { start: CalendarDate; end: CalendarDate; ruleSet: RuleSetValues; held: readonly HeldFollowUp[] }): DueTask[] {
  if (compareDates(end, start) < 0) throw new Error(`the period ends on ${end}, before it starts on ${start}`);
  if (!(ruleSet.followUpIntervalWeeks > 0)) throw new Error(`followUpIntervalWeeks must be above 0, got ${ruleSet.followUpIntervalWeeks}`);
  const intervalDays = ruleSet.followUpIntervalWeeks * 7;
  const followUps = held.filter((h) => h.kind === 'follow_up').sort((a, b) => compareDates(a.heldOn, b.heldOn));
  const tasks: DueTask[] = [];
  let anchor = start;
  let next = 0;
  for (let due = addDays(anchor, intervalDays); compareDates(due, end) < 0; due = addDays(anchor, intervalDays)) {
    const closing = followUps[next];
    if (closing === undefined) {
      tasks.push({ kind: 'follow_up', due });
      anchor = due;
    } else {
      tasks.push({ kind: 'follow_up', due, heldOn: closing.heldOn });
      anchor = closing.heldOn;
      next += 1;
    }
  }
  const evaluationDue = maxDate(start, addDays(end, -ruleSet.evaluationLeadDays));
  const evaluation = held.find((h) => h.kind === 'evaluation' && h.periodEnd === end);
  tasks.push(evaluation ? { kind: 'evaluation', due: evaluationDue, heldOn: evaluation.heldOn } : { kind: 'evaluation', due: evaluationDue });
  return tasks.sort((a, b) => compareDates(a.due, b.due));
}

export const TASK_STATES = ['done', 'due', 'overdue'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskProgress {
  /** The evaluation is done once the grant is no longer active. */
  grantActive: boolean;
  today: CalendarDate;
}

/**
 * Whether a task is done: closed by a follow-up or evaluation the caseworker held (a supplier's progress report
 * closes none), or the evaluation of a grant no longer active.
 */
export function isTaskDone(task: DueTask, progress: Omit<TaskProgress, 'today'>): boolean {
  return task.heldOn !== undefined || (task.kind === 'evaluation' && !progress.grantActive);
}

/** done (see isTaskDone); else overdue before today, due from today. */
export function taskState(task: DueTask, progress: TaskProgress): TaskState {
  if (isTaskDone(task, progress)) return 'done';
  return compareDates(task.due, progress.today) < 0 ? 'overdue' : 'due';
}

/**
 * The due date of a grant's first open task, or null when none is open. In the caseworker's order (overdue
 * first, then by due date) that is also the date by which the grant's first task sorts: overdue tasks are the
 * ones due before today. It does not depend on today, so it can be stored with the grant.
 */
export function firstOpenTaskDue(tasks: readonly DueTask[], progress: Omit<TaskProgress, 'today'>): CalendarDate | null {
  let first: CalendarDate | null = null;
  for (const task of tasks) {
    if (!isTaskDone(task, progress) && (first === null || compareDates(task.due, first) < 0)) first = task.due;
  }
  return first;
}

/** The caseworker's order: overdue first, then by due date. */
export function compareOpenTasks(a: DueTask & { state: TaskState }, b: DueTask & { state: TaskState }): number {
  const rank = (state: TaskState) => (state === 'overdue' ? 0 : 1);
  return rank(a.state) - rank(b.state) || compareDates(a.due, b.due);
}

/** The tasks not done, in the caseworker's order. */
export function openTasks<T extends DueTask & { state: TaskState }>(tasks: readonly T[]): T[] {
  return tasks.filter((task) => task.state !== 'done').sort(compareOpenTasks);
}

// ---- lifecycle: a grant is proposed, approved or sent back by a team leader, extended while active and ended once ----

export const GRANT_STATUSES = ['draft', 'proposed', 'sent_back', 'active', 'ended', 'cancelled'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/**
 * The grant's transitions and who may make them. A caseworker's new grant is proposed (visitation, Gribskov 004: the
 * case is assessed by a team leader first); a team leader approves it (active) or sends it back with a reason, and
 * the caseworker proposes it again, changed. An extension keeps the grant active (active → active with a new end);
 * ending it is final. `draft` and `cancelled` are allowed by the table's check but nothing moves a grant into or
 * out of them, so no transition names them.
 */
export const GRANT_TRANSITIONS: readonly Transition<GrantStatus>[] = [
  { from: 'proposed', to: 'active', roles: ['team_leader'] },
  { from: 'proposed', to: 'sent_back', roles: ['team_leader'] },
  { from: 'sent_back', to: 'proposed', roles: ['caseworker', 'admin'] },
  { from: 'active', to: 'active', roles: ['caseworker', 'admin'] },
  { from: 'active', to: 'ended', roles: ['caseworker', 'admin'] },
];

/** The state a new grant is stored in. */
export const NEW_GRANT_STATUS: GrantStatus = 'proposed';

/** Why `role` may not move a grant from `from` to `to`, or null when it may. */
export function grantTransitionProblem(from: GrantStatus, to: GrantStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('grant', GRANT_TRANSITIONS, from, to, role);
}

/**
 * Why a grant in `status` cannot be approved, or null when it is proposed. An active grant also moves active → active
 * (an extension, a caseworker's), so the table alone would answer a team leader with the role; approval is only
 * ever proposed → active, and the answer names both states.
 */
export function approvalStateProblem(status: GrantStatus): ErrorDetail | null {
  if (status === 'proposed') return null;
  return { field: 'status', rule: GrantsErrorCode.GrantTransition, message: `a grant that is ${status} cannot be approved: only a proposed grant can`, values: { from: status, to: 'active' } };
}

export interface ApprovalInput {
  /** Who created the grant and who proposed it last (a resubmission); null for neither known. */
  createdBy: string | null;
  proposedBy: string | null;
  start: CalendarDate;
  end: CalendarDate;
  approverId: string;
  /** The day the grant is active from, when the team leader names one. */
  activeFrom: CalendarDate | undefined;
  today: CalendarDate;
}

/**
 * The day an approved grant is active from: the named day, or else its start or today, whichever is later. No
 * invoice line dated before it is payable.
 */
export function activeFromOnApproval(input: Pick<ApprovalInput, 'start' | 'activeFrom' | 'today'>): CalendarDate {
  return input.activeFrom ?? maxDate(input.start, input.today);
}

/**
 * Why the approval is refused: four eyes (the approver neither created nor last proposed the grant), and the day it
 * is active from lies in the grant's period and not after today, unless that is the grant's start (a grant approved
 * ahead of its start is active from its start). A team leader may name an earlier day than today, back to the
 * start, for support begun by arrangement while the case was assessed; the day is audited.
 */
export function checkApproval(input: ApprovalInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (input.approverId === input.createdBy || input.approverId === input.proposedBy) {
    problems.push({ field: 'approver', rule: GrantsErrorCode.ApproverDistinct, message: 'a grant is approved by someone other than the one who created or proposed it (four eyes)' });
  }
  const activeFrom = activeFromOnApproval(input);
  if (compareDates(activeFrom, input.start) < 0 || compareDates(activeFrom, input.end) > 0) {
    problems.push({ field: 'activeFrom', rule: GrantsErrorCode.ActiveFromInPeriod, message: `the grant runs from ${input.start} to ${input.end}; it cannot be active from ${activeFrom}`, values: { start: input.start, end: input.end, activeFrom } });
  } else if (compareDates(activeFrom, maxDate(input.start, input.today)) > 0) {
    problems.push({ field: 'activeFrom', rule: GrantsErrorCode.ActiveFromNotFuture, message: `a grant is active from its start or from the day it is approved (${maxDate(input.start, input.today)}), not from ${activeFrom}`, values: { activeFrom, latest: maxDate(input.start, input.today) } });
  }
  return problems;
}
