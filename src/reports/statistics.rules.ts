import { compareDates, minDate, monthOf, type CalendarDate, type CalendarMonth } from '../common/time/calendar-date';
import type { Outcome } from '../grants/grants.dto';
import { MENTOR_TYPES, TARGET_GROUPS, type MentorType, type TargetGroup } from '../rules/rule-set';
import type { SupplierKind } from '../suppliers/supplier.entity';
import type { HolisticStatusFigure } from './holistic-status.rules';
import { daysInclusive, meanRounded, medianRounded, monthsOfYear, percentOneDecimal, yearPeriod } from './report-arithmetic.rules';
import { bySupplierName, type ReportSupplier } from './report-supplier';
import { endedCourses, type EndedCourses } from './spend.rules';

/**
 * The course statistics of a year (Copenhagen 000, Frederiksberg 001, STAR's analysis 002), from the approved
 * grants: starts per month with the mentor changes, which 000 counts as new courses; the durations of the
 * courses ended in the year and their outcomes; the extensions of those courses; each citizen's time in mentor
 * support in all up to the year's end; the internal suppliers' share; and the same figures by mentor type,
 * target group at start, supplier and age band at start. Citizens by id only; the age band is computed from the
 * birth date, which never leaves the server. Sex is not recorded in the portal, so there is no breakdown by it.
 * Durations count the start and end day; a course not ended runs to its end date or the year's end. Pure.
 */

export const AGE_BANDS = ['under_18', '18_24', '25_29', '30_39', '40_49', '50_59', '60_plus', 'unknown'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Up to 6 months, up to 12 months, longer. */
export const CUMULATIVE_BANDS = [
  { band: 'up_to_6_months', maxDays: 183 },
  { band: 'up_to_12_months', maxDays: 366 },
  { band: 'over_12_months', maxDays: null },
] as const;

export interface StatisticsCourse {
  id: string;
  citizenId: string;
  supplierId: string;
  mentorType: MentorType;
  targetGroup: TargetGroup;
  start: CalendarDate;
  end: CalendarDate;
  status: 'active' | 'ended';
  outcome: Outcome | null;
  endedOn: CalendarDate | null;
  extensionsUsed: number;
}

export interface StatisticsInput {
  year: number;
  /** Every approved grant started by the year's end. */
  grants: StatisticsCourse[];
  /** Approved mentor changes effective in the year. */
  mentorChanges: Array<{ grantId: string; effectiveFrom: CalendarDate }>;
  /** Birth dates by citizen id (from the CPR number, server-side). */
  birthDates: Map<string, CalendarDate>;
  suppliers: ReportSupplier[];
  sevenMonthStatus: HolisticStatusFigure;
}

export interface BreakdownRow {
  key: string;
  /** The supplier's name and kind on the supplier rows. */
  name?: string;
  supplierKind?: SupplierKind | null;
  started: number;
  mentorChanges: number;
  ended: number;
  averageDays: number | null;
  medianDays: number | null;
}

export interface StatisticsReport {
  year: number;
  startsByMonth: Array<{ month: CalendarMonth; started: number; mentorChanges: number; courses: number }>;
  totals: { started: number; mentorChanges: number; courses: number };
  ended: EndedCourses;
  extensions: { endedCourses: number; extended: number; extendedPercent: number | null; extensions: number };
  sevenMonthStatus: HolisticStatusFigure;
  cumulative: { citizens: number; averageDays: number | null; medianDays: number | null; bands: Array<{ band: string; citizens: number }> };
  internalShare: { started: number; internal: number; external: number; internalPercent: number | null };
  byMentorType: BreakdownRow[];
  byTargetGroup: BreakdownRow[];
  bySupplier: BreakdownRow[];
  byAgeBand: BreakdownRow[];
  /** The portal records no sex, so there is no breakdown by it. */
  sexRecorded: false;
}

/** Whole years of age on `on`. */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

export function ageBand(birth: CalendarDate | undefined, on: CalendarDate): AgeBand {
  if (birth === undefined) return 'unknown';
  const age = ageOn(birth, on);
  if (age < 18) return 'under_18';
  if (age <= 24) return '18_24';
  if (age <= 29) return '25_29';
  if (age <= 39) return '30_39';
  if (age <= 49) return '40_49';
  if (age <= 59) return '50_59';
  return '60_plus';
}

const lastDay = (grant: StatisticsCourse): CalendarDate => (grant.status === 'ended' && grant.endedOn ? grant.endedOn : grant.end);

export function statisticsReport(input: StatisticsInput): StatisticsReport {
  const { year } = input;
  const { from, to } = yearPeriod(year);
  const inYear = (date: CalendarDate) => compareDates(from, date) <= 0 && compareDates(date, to) <= 0;
  const started = input.grants.filter((g) => inYear(g.start));
  const endedInYear = input.grants.filter((g) => g.status === 'ended' && g.endedOn !== null && g.outcome !== null && inYear(g.endedOn));
  const grantById = new Map(input.grants.map((g) => [g.id, g]));
  const changes = input.mentorChanges.filter((c) => inYear(c.effectiveFrom));

  const startsByMonth = monthsOfYear(year).map((month) => {
    const s = started.filter((g) => monthOf(g.start) === month).length;
    const m = changes.filter((c) => monthOf(c.effectiveFrom) === month).length;
    return { month, started: s, mentorChanges: m, courses: s + m };
  });

  const extended = endedInYear.filter((g) => g.extensionsUsed > 0);

  // Each citizen with a course in the year: days in mentor support in all, up to the year's end, a day counted once.
  const inYearCitizens = new Set(input.grants.filter((g) => compareDates(lastDay(g), from) >= 0).map((g) => g.citizenId));
  const cumulativeDays = [...inYearCitizens].map((citizenId) => {
    const days = new Set<number>();
    for (const g of input.grants.filter((grant) => grant.citizenId === citizenId)) {
      const last = minDate(lastDay(g), to);
      if (compareDates(last, g.start) < 0) continue;
      const first = Date.parse(`${g.start}T00:00:00Z`) / 86_400_000;
      for (let day = 0; day < daysInclusive(g.start, last); day++) days.add(first + day);
    }
    return days.size;
  });

  const internalIds = new Set(input.suppliers.filter((s) => s.kind === 'internal').map((s) => s.id));
  const internal = started.filter((g) => internalIds.has(g.supplierId)).length;

  const breakdown = (keyOf: (g: StatisticsCourse) => string, keys: readonly string[]): BreakdownRow[] => {
    const rows = new Map<string, BreakdownRow>(keys.map((key) => [key, row(key)]));
    const get = (key: string) => rows.get(key) ?? rows.set(key, row(key)).get(key) as BreakdownRow;
    const days = new Map<string, number[]>();
    for (const g of started) get(keyOf(g)).started += 1;
    for (const c of changes) {
      const g = grantById.get(c.grantId);
      if (g) get(keyOf(g)).mentorChanges += 1;
    }
    for (const g of endedInYear) {
      get(keyOf(g)).ended += 1;
      days.set(keyOf(g), [...(days.get(keyOf(g)) ?? []), daysInclusive(g.start, g.endedOn as CalendarDate)]);
    }
    for (const [key, list] of days) Object.assign(get(key), { averageDays: meanRounded(list), medianDays: medianRounded(list) });
    return [...rows.values()];
  };

  const suppliersById = new Map(input.suppliers.map((s) => [s.id, s]));
  const bySupplier = breakdown((g) => g.supplierId, [])
    .map((r) => ({ ...r, name: suppliersById.get(r.key)?.name ?? r.key, supplierKind: suppliersById.get(r.key)?.kind ?? null }))
    .sort((a, b) => bySupplierName({ id: a.key, name: a.name }, { id: b.key, name: b.name }));

  return {
    year,
    startsByMonth,
    totals: { started: started.length, mentorChanges: changes.length, courses: started.length + changes.length },
    ended: endedCourses(input.grants, year),
    extensions: {
      endedCourses: endedInYear.length,
      extended: extended.length,
      extendedPercent: percentOneDecimal(extended.length, endedInYear.length),
      extensions: extended.reduce((sum, g) => sum + g.extensionsUsed, 0),
    },
    sevenMonthStatus: input.sevenMonthStatus,
    cumulative: {
      citizens: cumulativeDays.length,
      averageDays: meanRounded(cumulativeDays),
      medianDays: medianRounded(cumulativeDays),
      bands: CUMULATIVE_BANDS.map(({ band, maxDays }, i) => {
        const min = i === 0 ? 0 : (CUMULATIVE_BANDS[i - 1].maxDays as number);
        return { band, citizens: cumulativeDays.filter((d) => d > min && (maxDays === null || d <= maxDays)).length };
      }),
    },
    internalShare: { started: started.length, internal, external: started.length - internal, internalPercent: percentOneDecimal(internal, started.length) },
    byMentorType: breakdown((g) => g.mentorType, MENTOR_TYPES),
    byTargetGroup: breakdown((g) => g.targetGroup, TARGET_GROUPS).filter((r) => r.started + r.ended + r.mentorChanges > 0),
    bySupplier,
    byAgeBand: breakdown((g) => ageBand(input.birthDates.get(g.citizenId), g.start), AGE_BANDS).filter((r) => r.key !== 'unknown' || r.started + r.ended + r.mentorChanges > 0),
    sexRecorded: false,
  };
}

function row(key: string): BreakdownRow {
  return { key, started: 0, mentorChanges: 0, ended: 0, averageDays: null, medianDays: null };
}
