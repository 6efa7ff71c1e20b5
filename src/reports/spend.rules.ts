import { compareDates, monthOf, type CalendarDate, type CalendarMonth } from '../common/time/calendar-date';
import { OUTCOMES, type Outcome } from '../grants/grants.dto';
import { MENTOR_TYPES, type MentorType } from '../rules/rule-set';
import type { SupplierKind } from '../suppliers/supplier.entity';
import { averageOre, daysInclusive, meanRounded, medianRounded, monthsOfYear, percentOneDecimal, sumOre, yearPeriod } from './report-arithmetic.rules';
import { bySupplierName, type ReportSupplier } from './report-supplier';

/**
 * The spend report (forbrug pr. ordning og leverandør): amount, unique citizens and average per citizen
 * by mentor type and by supplier, as in the council's "Beløb pr. ordning" table, and the statistics the
 * administration reports on courses: started per month, durations and status at end, and the share of
 * external suppliers and companies.
 */

/** What each supplier kind stands for in the share by supplier kind. */
export const SUPPLIER_KIND_MEANING: Record<SupplierKind, { share: 'external' | 'company' | 'internal'; description: string }> = {
  mentor_supplier: { share: 'external', description: 'External mentor supplier under a framework agreement (ekstern leverandør)' },
  partner_company: { share: 'company', description: 'Company releasing an employee as mentor under a partnership agreement (virksomhedsmentor, frikøb)' },
  education_institution: { share: 'external', description: 'Education institution under a framework agreement (uddannelsesinstitution)' },
  internal: { share: 'internal', description: 'Another municipal department, settled internally (intern leverandør)' },
};

export const SPEND_DEFINITIONS = {
  amount: 'Approved amounts excl. VAT of deliveries dated in the year; credit lines count as negative amounts at the date of the session they correct',
  citizens: 'Unique citizens (by citizen id) whose approved amount in the row is above 0; a citizen in several rows counts once in the total',
  averagePerCitizen: 'amount / citizens, rounded half up to whole øre; null without citizens',
  coursesStarted: 'Grants (active or ended; not draft or cancelled) whose start date lies in the month',
  endedCourses: 'Grants ended with an outcome on a date in the year; duration = days from start to the day it ended, both included',
  internalMentors: 'The job centre’s own mentors are not bought through the portal and are not in these figures',
} as const;

/** An approved delivery (or credit) with the citizen it helped, by id only. */
export interface SpendDelivery {
  citizenId: string;
  mentorType: MentorType;
  supplierId: string;
  /** Approved øre excl. VAT; negative on a credit line. */
  approvedOre: number;
}

export interface SpendFigures {
  amountOre: number;
  citizens: number;
  averagePerCitizenOre: number | null;
}

/** Amount, unique citizens with a positive net amount, and the average per citizen of a set of deliveries. */
export function spendFigures(deliveries: SpendDelivery[]): SpendFigures {
  const perCitizen = new Map<string, number[]>();
  for (const delivery of deliveries) {
    const amounts = perCitizen.get(delivery.citizenId);
    if (amounts) amounts.push(delivery.approvedOre);
    else perCitizen.set(delivery.citizenId, [delivery.approvedOre]);
  }
  const amountOre = sumOre(deliveries.map((delivery) => delivery.approvedOre));
  // A citizen whose sessions were all credited got no paid support.
  const citizens = [...perCitizen.values()].filter((amounts) => sumOre(amounts) > 0).length;
  return { amountOre, citizens, averagePerCitizenOre: averageOre(amountOre, citizens) };
}

/** A grant as the course statistics see it: no citizen. */
export interface StatisticsGrant {
  mentorType: MentorType;
  supplierId: string;
  status: 'active' | 'ended';
  start: CalendarDate;
  endedOn: CalendarDate | null;
  outcome: Outcome | null;
}

export interface StartedMonth {
  month: CalendarMonth;
  started: number;
  byMentorType: Record<MentorType, number>;
}

const zeroByType = (): Record<MentorType, number> => Object.fromEntries(MENTOR_TYPES.map((type) => [type, 0])) as Record<MentorType, number>;

const inYear = (date: CalendarDate, year: number): boolean => {
  const { from, to } = yearPeriod(year);
  return compareDates(from, date) <= 0 && compareDates(date, to) <= 0;
};

/** Courses started in each month of the year, by mentor type. */
export function coursesStartedByMonth(grants: StatisticsGrant[], year: number): StartedMonth[] {
  const months = new Map(monthsOfYear(year).map((month) => [month, { month, started: 0, byMentorType: zeroByType() }]));
  for (const grant of grants) {
    const row = inYear(grant.start, year) ? months.get(monthOf(grant.start)) : undefined;
    if (!row) continue;
    row.started += 1;
    row.byMentorType[grant.mentorType] += 1;
  }
  return [...months.values()];
}

export interface DurationFigures {
  count: number;
  averageDays: number | null;
  medianDays: number | null;
}

export interface EndedCourses extends DurationFigures {
  byOutcome: Array<{ outcome: Outcome; percent: number | null } & DurationFigures>;
}

// Ended in the year, with an outcome and an end date.
function endedInYear(grants: StatisticsGrant[], year: number): Array<StatisticsGrant & { endedOn: CalendarDate; outcome: Outcome }> {
  return grants.filter((g): g is StatisticsGrant & { endedOn: CalendarDate; outcome: Outcome } => g.status === 'ended' && g.endedOn !== null && g.outcome !== null && inYear(g.endedOn, year));
}

function durations(days: number[]): DurationFigures {
  return { count: days.length, averageDays: meanRounded(days), medianDays: medianRounded(days) };
}

/** Courses ended in the year: their durations in days (start and end day included), overall and by outcome, and each outcome's share. */
export function endedCourses(grants: StatisticsGrant[], year: number): EndedCourses {
  const ended = endedInYear(grants, year).map((grant) => ({ outcome: grant.outcome, days: daysInclusive(grant.start, grant.endedOn) }));
  return {
    ...durations(ended.map((course) => course.days)),
    byOutcome: OUTCOMES.map((outcome) => {
      const days = ended.filter((course) => course.outcome === outcome).map((course) => course.days);
      return { outcome, ...durations(days), percent: percentOneDecimal(days.length, ended.length) };
    }),
  };
}

export interface SupplierKindShare extends SpendFigures {
  supplierKind: SupplierKind;
  share: 'external' | 'company' | 'internal';
  description: string;
  /** Share of the year's total amount in percent, one decimal; null when the total is not above 0. */
  percentOfAmount: number | null;
  coursesStarted: number;
}

export interface SpendInput {
  year: number;
  deliveries: SpendDelivery[];
  /** Grants that are active or ended, overlapping the year. */
  grants: StatisticsGrant[];
  suppliers: ReportSupplier[];
}

export interface SpendReport {
  year: number;
  from: CalendarDate;
  to: CalendarDate;
  definitions: typeof SPEND_DEFINITIONS;
  total: SpendFigures;
  byMentorType: Array<{ mentorType: MentorType } & SpendFigures>;
  bySupplier: Array<{ supplierId: string; supplierName: string; supplierKind: SupplierKind | null } & SpendFigures>;
  bySupplierKind: SupplierKindShare[];
  statistics: {
    coursesStarted: { total: number; byMonth: StartedMonth[] };
    endedCourses: EndedCourses;
  };
}

function groupBy<K>(deliveries: SpendDelivery[], key: (delivery: SpendDelivery) => K): Map<K, SpendDelivery[]> {
  const groups = new Map<K, SpendDelivery[]>();
  for (const delivery of deliveries) {
    const k = key(delivery);
    const group = groups.get(k);
    if (group) group.push(delivery);
    else groups.set(k, [delivery]);
  }
  return groups;
}

export function spendReport(input: SpendInput): SpendReport {
  const { from, to } = yearPeriod(input.year);
  const suppliers = new Map(input.suppliers.map((supplier) => [supplier.id, supplier]));
  const total = spendFigures(input.deliveries);
  const byType = groupBy(input.deliveries, (d) => d.mentorType);
  const bySupplier = groupBy(input.deliveries, (d) => d.supplierId);
  const byKind = groupBy(input.deliveries, (d) => suppliers.get(d.supplierId)?.kind ?? null);
  const startedByMonth = coursesStartedByMonth(input.grants, input.year);
  const startedInYear = input.grants.filter((grant) => inYear(grant.start, input.year));
  return {
    year: input.year,
    from,
    to,
    definitions: SPEND_DEFINITIONS,
    total,
    byMentorType: MENTOR_TYPES.filter((type) => byType.has(type)).map((mentorType) => ({ mentorType, ...spendFigures(byType.get(mentorType) as SpendDelivery[]) })),
    bySupplier: [...bySupplier.keys()]
      .map((id) => ({ id, name: suppliers.get(id)?.name ?? id, kind: suppliers.get(id)?.kind ?? null }))
      .sort(bySupplierName)
      .map((supplier) => ({ supplierId: supplier.id, supplierName: supplier.name, supplierKind: supplier.kind, ...spendFigures(bySupplier.get(supplier.id) as SpendDelivery[]) })),
    bySupplierKind: (Object.keys(SUPPLIER_KIND_MEANING) as SupplierKind[]).map((supplierKind) => {
      const figures = spendFigures(byKind.get(supplierKind) ?? []);
      return {
        supplierKind,
        ...SUPPLIER_KIND_MEANING[supplierKind],
        ...figures,
        percentOfAmount: total.amountOre > 0 ? percentOneDecimal(figures.amountOre, total.amountOre) : null,
        coursesStarted: startedInYear.filter((grant) => suppliers.get(grant.supplierId)?.kind === supplierKind).length,
      };
    }),
    statistics: {
      coursesStarted: { total: startedByMonth.reduce((sum, month) => sum + month.started, 0), byMonth: startedByMonth },
      endedCourses: endedCourses(input.grants, input.year),
    },
  };
}
