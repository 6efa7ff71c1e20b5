import { CommonErrorCode } from '../common/errors/common.errors';
import type { ErrorDetail } from '../common/errors/domain.exception';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { addDays, compareDates, isCalendarDate, isoDayOfWeek, type CalendarDate } from '../common/time/calendar-date';
import { DATE_WINDOW, isInDateWindow } from '../common/time/date-window';
import { describeBand, isInBand, serviceLevelBand, type RuleSetValues } from '../rules/rule-set';
import { latestPeriodEnd } from './grant.rules';
import { GrantsErrorCode } from './grants.errors';

/**
 * Amendments of a grant (ændringer), each from an effective date with a reason: the level and minutes per week (level
 * 4 is granted 3 months at a time and then stepped down or continued, Gribskov 004), the mentor (a mentor change counts
 * as a new course in the statistics, Copenhagen 000), or the goal and tasks reset at a follow-up. The terms in force on
 * a day are the grant's own and the approved amendments effective by then, the later effective date winning. Pure.
 */

export const AMENDMENT_KINDS = ['hours', 'mentor', 'goal'] as const;
export type AmendmentKind = (typeof AMENDMENT_KINDS)[number];

export const AMENDMENT_STATUSES = ['proposed', 'approved', 'rejected'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/** The terms an amendment can change. */
export interface GrantTerms {
  serviceLevel: number;
  minutesPerWeek: number;
  mentorName: string;
  mentorPhone: string | null;
  mentorEmail: string | null;
  goal: string;
  tasks: string;
}

/** What one amendment changes: the fields of its kind. */
export type AmendmentChange =
  | { kind: 'hours'; effectiveFrom: CalendarDate; serviceLevel: number; minutesPerWeek: number }
  | { kind: 'mentor'; effectiveFrom: CalendarDate; mentorName: string; mentorPhone: string | null; mentorEmail: string | null }
  | { kind: 'goal'; effectiveFrom: CalendarDate; goal: string; tasks: string };

/** An amendment as stored, in the order it was recorded (its place among those of the same day and kind). */
export type RecordedAmendment = AmendmentChange & { status: AmendmentStatus };

/** One stretch of the grant with the same terms: from `from` until the next version's `from`. */
export interface TermsVersion {
  from: CalendarDate;
  terms: GrantTerms;
  /** The amendments that took effect on `from` (none for the grant's own terms). */
  kinds: AmendmentKind[];
}

/** The step of minutes and level in force from a day, for invoice validation. */
export interface MinutesStep {
  from: CalendarDate;
  serviceLevel: number;
  minutesPerWeek: number;
}

function apply(terms: GrantTerms, change: AmendmentChange): GrantTerms {
  switch (change.kind) {
    case 'hours':
      return { ...terms, serviceLevel: change.serviceLevel, minutesPerWeek: change.minutesPerWeek };
    case 'mentor':
      return { ...terms, mentorName: change.mentorName, mentorPhone: change.mentorPhone, mentorEmail: change.mentorEmail };
    case 'goal':
      return { ...terms, goal: change.goal, tasks: change.tasks };
  }
}

/** The approved amendments in the order they take effect (by effective date, then as recorded). */
function inForceOrder<A extends RecordedAmendment>(amendments: readonly A[]): A[] {
  return amendments
    .map((amendment, position) => ({ amendment, position }))
    .filter(({ amendment }) => amendment.status === 'approved')
    .sort((a, b) => compareDates(a.amendment.effectiveFrom, b.amendment.effectiveFrom) || a.position - b.position)
    .map(({ amendment }) => amendment);
}

/**
 * The versions of a grant's terms from its start: the grant's own, then one for each day an approved amendment takes
 * effect. An amendment effective on the start replaces the grant's own terms from the start.
 */
export function termsVersions(base: GrantTerms, start: CalendarDate, amendments: readonly RecordedAmendment[]): TermsVersion[] {
  const versions: TermsVersion[] = [{ from: start, terms: base, kinds: [] }];
  for (const amendment of inForceOrder(amendments)) {
    const last = versions[versions.length - 1];
    const from = compareDates(amendment.effectiveFrom, start) < 0 ? start : amendment.effectiveFrom;
    if (from === last.from) versions[versions.length - 1] = { from, terms: apply(last.terms, amendment), kinds: [...last.kinds, amendment.kind] };
    else versions.push({ from, terms: apply(last.terms, amendment), kinds: [amendment.kind] });
  }
  return versions;
}

/** The terms in force on `date` (the grant's own before its start). */
export function termsOn(base: GrantTerms, start: CalendarDate, amendments: readonly RecordedAmendment[], date: CalendarDate): TermsVersion {
  const versions = termsVersions(base, start, amendments);
  let found = versions[0];
  for (const version of versions) if (compareDates(version.from, date) <= 0) found = version;
  return found;
}

/** The level and minutes per week from each day they change, first the grant's own from its start. */
export function minutesSteps(base: Pick<GrantTerms, 'serviceLevel' | 'minutesPerWeek'>, start: CalendarDate, amendments: readonly RecordedAmendment[]): MinutesStep[] {
  const steps: MinutesStep[] = [{ from: start, serviceLevel: base.serviceLevel, minutesPerWeek: base.minutesPerWeek }];
  for (const amendment of inForceOrder(amendments)) {
    if (amendment.kind !== 'hours') continue;
    const from = compareDates(amendment.effectiveFrom, start) < 0 ? start : amendment.effectiveFrom;
    const step = { from, serviceLevel: amendment.serviceLevel, minutesPerWeek: amendment.minutesPerWeek };
    if (steps[steps.length - 1].from === from) steps[steps.length - 1] = step;
    else steps.push(step);
  }
  return steps;
}

/**
 * The step in force on `date` among steps in date order (the first before it). Dates are four-digit-year calendar
 * dates, which order as their text: no parsing, since invoice validation asks once per grant and week or date.
 */
export function stepOn(steps: readonly MinutesStep[], date: CalendarDate): MinutesStep {
  let found = steps[0];
  for (let i = 1; i < steps.length && steps[i].from <= date; i += 1) found = steps[i];
  return found;
}

/**
 * The granted minutes of the ISO week beginning on `monday`: the minutes in force on that Monday (the grant's own in
 * its first week, which may begin after the Monday). A change of minutes takes effect on a Monday (checkAmendment), so
 * one week has one allowance.
 */
export function minutesInWeek(steps: readonly MinutesStep[], monday: CalendarDate): number {
  return stepOn(steps, monday).minutesPerWeek;
}

// ---- checks ----

export interface AmendmentGrant {
  status: string;
  start: CalendarDate;
  end: CalendarDate;
  base: GrantTerms;
  /** The grant's amendments as stored (every status), in the order recorded. */
  amendments: readonly RecordedAmendment[];
}

export interface AmendmentInput {
  /** The rule set in force on the amendment's effective date. */
  ruleSet: RuleSetValues;
  grant: AmendmentGrant;
  change: AmendmentChange;
}

// The level whose stretch is capped at level4MaxMonths (Gribskov: “3 months, after which it is assessed”).
const LEVEL_4 = 4;

/** Why an amendment cannot be made on a grant in `status`: only an active grant is amended; null when it may. */
export function amendmentStateProblem(status: string): ErrorDetail | null {
  if (status === 'active') return null;
  return { field: 'status', rule: GrantsErrorCode.AmendmentGrantActive, message: `a grant that is ${status} is not amended: only an active grant is (a proposal is changed by sending it back)`, values: { status } };
}

/**
 * Everything that stops an amendment, checked against the rule set in force on its effective date: the day lies in
 * the grant's period; new minutes lie in the new level's band and change on a Monday (the weekly allowance is counted
 * per ISO week) unless from the start; a level-4 stretch lasts at most level4MaxMonths; a new mentor has a phone or
 * e-mail; the change changes something.
 */
export function checkAmendment({ ruleSet, grant, change }: AmendmentInput): ErrorDetail[] {
  const day = change.effectiveFrom;
  if (!isCalendarDate(day)) return [{ field: 'effectiveFrom', rule: CommonErrorCode.CalendarDate, message: `effectiveFrom must be a date YYYY-MM-DD, got '${day}'` }];
  if (!isInDateWindow(day)) {
    return [{ field: 'effectiveFrom', rule: CommonErrorCode.DateWindow, message: `effectiveFrom must lie from ${DATE_WINDOW.from} to ${DATE_WINDOW.to}, got ${day}`, values: { date: day, from: DATE_WINDOW.from, to: DATE_WINDOW.to } }];
  }
  if (compareDates(day, grant.start) < 0 || compareDates(day, grant.end) > 0) {
    return [{ field: 'effectiveFrom', rule: GrantsErrorCode.AmendmentInPeriod, message: `the grant runs from ${grant.start} to ${grant.end}; an amendment cannot take effect on ${day}`, values: { start: grant.start, end: grant.end, effectiveFrom: day } }];
  }
  const before = termsOn(grant.base, grant.start, grant.amendments, day).terms;
  switch (change.kind) {
    case 'hours':
      return checkHoursChange(ruleSet, grant, change, before);
    case 'mentor':
      if (!change.mentorPhone && !change.mentorEmail) return [{ field: 'mentorPhone', rule: GrantsErrorCode.MentorContact, message: 'give the mentor’s phone or e-mail' }];
      if (change.mentorName === before.mentorName && change.mentorPhone === before.mentorPhone && change.mentorEmail === before.mentorEmail) return [nothingChanged(day)];
      return [];
    case 'goal':
      return change.goal === before.goal && change.tasks === before.tasks ? [nothingChanged(day)] : [];
  }
}

function nothingChanged(day: CalendarDate): ErrorDetail {
  return { rule: GrantsErrorCode.AmendmentChangesNothing, message: `the amendment changes nothing: these are the terms in force on ${day}`, values: { effectiveFrom: day } };
}

function checkHoursChange(ruleSet: RuleSetValues, grant: AmendmentGrant, change: Extract<AmendmentChange, { kind: 'hours' }>, before: GrantTerms): ErrorDetail[] {
  const { serviceLevel, minutesPerWeek, effectiveFrom: day } = change;
  const band = serviceLevelBand(ruleSet, serviceLevel);
  if (band === null) {
    const known = ruleSet.serviceLevels.map((b) => b.level).join(', ');
    return [{ field: 'serviceLevel', rule: GrantsErrorCode.LevelKnown, message: `service level ${serviceLevel} is not one of the levels ${known}`, values: { level: serviceLevel } }];
  }
  const problems: ErrorDetail[] = [];
  if (!isInBand(band, minutesPerWeek)) {
    problems.push({
      field: 'minutesPerWeek',
      rule: GrantsErrorCode.HoursInBand,
      message: `${minutesPerWeek} minutes per week is outside service level ${serviceLevel} (${describeBand(band)})`,
      values: { minutesPerWeek, level: serviceLevel, min: band.minMinutesExclusive, max: band.maxMinutes },
    });
  }
  if (day !== grant.start && isoDayOfWeek(day) !== 1) {
    const monday = addDays(day, 1 - isoDayOfWeek(day));
    problems.push({
      field: 'effectiveFrom',
      rule: GrantsErrorCode.AmendmentFromMonday,
      message: `minutes per week are granted per ISO week: a change takes effect on a Monday (${monday} or ${addDays(monday, 7)}), not on ${day}`,
      values: { effectiveFrom: day, before: monday, after: addDays(monday, 7) },
    });
  }
  if (serviceLevel === before.serviceLevel && minutesPerWeek === before.minutesPerWeek) problems.push(nothingChanged(day));
  if (problems.length > 0) return problems;
  return checkLevel4Stretches(ruleSet, grant, change);
}

/**
 * Each stretch at level 4 (from the day it begins to the day before the level changes, or the grant's end) lasts at
 * most level4MaxMonths, with this change in force alongside the approved ones.
 */
function checkLevel4Stretches(ruleSet: RuleSetValues, grant: AmendmentGrant, change: Extract<AmendmentChange, { kind: 'hours' }>): ErrorDetail[] {
  const steps = minutesSteps(grant.base, grant.start, [...grant.amendments, { ...change, status: 'approved' }]);
  for (let i = 0; i < steps.length; i += 1) {
    if (steps[i].serviceLevel !== LEVEL_4 || (i > 0 && steps[i - 1].serviceLevel === LEVEL_4)) continue;
    let j = i;
    while (j + 1 < steps.length && steps[j + 1].serviceLevel === LEVEL_4) j += 1;
    const stretchEnd = j + 1 < steps.length ? addDays(steps[j + 1].from, -1) : grant.end;
    const latestEnd = latestPeriodEnd(steps[i].from, ruleSet.level4MaxMonths);
    if (compareDates(stretchEnd, latestEnd) > 0) {
      return [
        {
          field: 'serviceLevel',
          rule: GrantsErrorCode.Level4Length,
          message: `service level 4 lasts at most ${ruleSet.level4MaxMonths} months: from ${steps[i].from} it may last until ${latestEnd} at the latest, not ${stretchEnd}`,
          values: { start: steps[i].from, end: stretchEnd, maxMonths: ruleSet.level4MaxMonths, latestEnd },
        },
      ];
    }
  }
  return [];
}

/**
 * Whether an amendment needs a team leader's approval, as a new grant does: when it raises the minutes per week in
 * force on its effective date. Every other change is in force when recorded.
 */
export function needsApproval(grant: Pick<AmendmentGrant, 'base' | 'start' | 'amendments'>, change: AmendmentChange): boolean {
  if (change.kind !== 'hours') return false;
  return change.minutesPerWeek > termsOn(grant.base, grant.start, grant.amendments, change.effectiveFrom).terms.minutesPerWeek;
}

/** The state an amendment is stored in. */
export function newAmendmentStatus(grant: Pick<AmendmentGrant, 'base' | 'start' | 'amendments'>, change: AmendmentChange): AmendmentStatus {
  return needsApproval(grant, change) ? 'proposed' : 'approved';
}

/** A proposed amendment is approved or rejected by a team leader; both are final. */
export const AMENDMENT_TRANSITIONS: readonly Transition<AmendmentStatus>[] = [
  { from: 'proposed', to: 'approved', roles: ['team_leader'] },
  { from: 'proposed', to: 'rejected', roles: ['team_leader'] },
];

export function amendmentTransitionProblem(from: AmendmentStatus, to: AmendmentStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('grant_amendment', AMENDMENT_TRANSITIONS, from, to, role);
}

/** Four eyes: an amendment is approved by someone other than the one who recorded it. */
export function checkAmendmentApprover(createdBy: string | null, approverId: string): ErrorDetail[] {
  if (createdBy !== approverId) return [];
  return [{ field: 'approver', rule: GrantsErrorCode.AmendmentApproverDistinct, message: 'an amendment is approved by someone other than the one who recorded it (four eyes)' }];
}
