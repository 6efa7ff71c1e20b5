import { addDays, compareDates, daysBetween, maxDate, type CalendarDate } from '../common/time/calendar-date';
import type { SilentGrantRule } from '../rules/course-rule-set';

/**
 * A silent grant: an active grant with no delivered session for N weeks, whether or not anything was invoiced. N is
 * in the rule set by how often the mentor must meet the citizen (2 weeks for weekly contact, 3 for every other
 * week); with no minimum contact, or one the rule set does not list, one week more than the contact interval
 * (3 weeks when there is none). Pure.
 */

/** The weeks without a session after which a grant with this contact interval is silent. */
export function silentAfterWeeks(rules: readonly SilentGrantRule[], contactEveryWeeks: number | null): number {
  const listed = contactEveryWeeks === null ? undefined : rules.find((rule) => rule.contactEveryWeeks === contactEveryWeeks);
  return listed?.weeks ?? (contactEveryWeeks ?? 2) + 1;
}

export interface SilenceInput {
  /** The day the grant is active from. */
  activeFrom: CalendarDate;
  /** The last day a session was delivered on, on or after activeFrom; null for none. */
  lastSession: CalendarDate | null;
  today: CalendarDate;
  weeks: number;
}

export interface Silence {
  /** The last session, or the day the grant became active when it has had none: silence counts from it. */
  since: CalendarDate;
  /** The day the grant is (or will be) silent: `weeks` weeks after `since`. */
  silentOn: CalendarDate;
  silent: boolean;
  /** Whole weeks without a session as of today. */
  silentWeeks: number;
}

/** Whether the grant is silent today: no session in the `weeks` × 7 days since the last one (or since it became active). */
export function silence(input: SilenceInput): Silence {
  const since = input.lastSession === null ? input.activeFrom : maxDate(input.activeFrom, input.lastSession);
  const silentOn = addDays(since, input.weeks * 7);
  const days = daysBetween(since, input.today);
  return { since, silentOn, silent: compareDates(input.today, silentOn) >= 0, silentWeeks: Math.max(0, Math.floor(days / 7)) };
}
