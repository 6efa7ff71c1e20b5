import { addMonths, compareDates, type CalendarDate } from '../common/time/calendar-date';

/**
 * Status seven months after the start of a citizen's first holistic mentor course (Copenhagen 000, table 4): for
 * each citizen whose first approved holistic period started in the year, where the citizen stood on the day seven
 * months later: still in mentor support (a period covers the day), or the outcome of the period that ended last
 * before it (job, education, education started, an active offer, another benefit …), or `unknown` when the last
 * period ran out with no end recorded. A course whose day has not come yet is pending. Pure.
 */

export const STATUS_AFTER_MONTHS = 7;

export interface HolisticPeriod {
  citizenId: string;
  start: CalendarDate;
  end: CalendarDate;
  status: 'active' | 'ended';
  endedOn: CalendarDate | null;
  outcome: string | null;
}

export type SevenMonthStatus = 'in_mentor_support' | 'unknown' | string;

export interface HolisticStatusFigure {
  year: number;
  /** Citizens whose first holistic period started in the year. */
  courses: number;
  /** Of those, the ones whose seven months have not passed by `asOf`. */
  pending: number;
  /** The measured ones by status, largest first, then by name. */
  byStatus: Array<{ status: SevenMonthStatus; count: number }>;
}

/** The status of one citizen on `on`, from their holistic periods. */
export function statusOn(periods: readonly HolisticPeriod[], on: CalendarDate): SevenMonthStatus {
  const lastDay = (p: HolisticPeriod) => p.endedOn ?? p.end;
  if (periods.some((p) => compareDates(p.start, on) <= 0 && compareDates(on, lastDay(p)) <= 0)) return 'in_mentor_support';
  const before = periods.filter((p) => compareDates(lastDay(p), on) < 0).sort((a, b) => compareDates(lastDay(b), lastDay(a)));
  const last = before[0];
  return last?.status === 'ended' && last.outcome ? last.outcome : 'unknown';
}

export function holisticStatusFigure(year: number, periods: readonly HolisticPeriod[], asOf: CalendarDate): HolisticStatusFigure {
  const byCitizen = new Map<string, HolisticPeriod[]>();
  for (const period of periods) byCitizen.set(period.citizenId, [...(byCitizen.get(period.citizenId) ?? []), period]);
  let courses = 0;
  let pending = 0;
  const counts = new Map<string, number>();
  for (const own of byCitizen.values()) {
    const first = own.reduce((a, b) => (compareDates(b.start, a.start) < 0 ? b : a));
    if (Number(first.start.slice(0, 4)) !== year) continue;
    courses++;
    const on = addMonths(first.start, STATUS_AFTER_MONTHS);
    if (compareDates(on, asOf) > 0) {
      pending++;
      continue;
    }
    const status = statusOn(own, on);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const byStatus = [...counts.entries()].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
  return { year, courses, pending, byStatus };
}
