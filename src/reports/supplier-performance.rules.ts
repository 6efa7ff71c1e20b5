import { compareDates, minDate, type CalendarDate } from '../common/time/calendar-date';
import type { SupplierKind } from '../suppliers/supplier.entity';
import { daysInclusive, minutesOverDays, overlap, percentOneDecimal, ratioTwoDecimals, yearPeriod } from './report-arithmetic.rules';
import { bySupplierName, type ReportSupplier } from './report-supplier';

/**
 * Supplier performance (leverandøropfølgning) for procurement: how much of the granted time each supplier
 * delivered, how often its invoices raised findings, and how many weeks went without the minimum contact.
 */

export const PERFORMANCE_DEFINITIONS = {
  measured: 'From 1 January to the earlier of today and 31 December',
  grantedMinutes:
    'Per grant (active or ended): minutesPerWeek × days of the grant inside the measured period / 7, rounded half up to whole minutes; a grant runs from its start to its end, or to the day it ended',
  deliveredMinutes: 'Face-to-face minutes of approved (also partly approved) sessions dated in the measured period, less the minutes of approved credit lines',
  deliveredPercent: 'delivered / granted in percent, one decimal, rounded half up; null when nothing was granted',
  invoices: 'Invoices and credit notes received with an issue date in the year, drafts left out (rejected ones count)',
  findingsPerInvoice: '(errors + warnings) / invoices, two decimals, rounded half up; null without invoices',
  missedMinimumContacts:
    'Distinct grant and ISO week of the year with a minimum_contact_missing finding on an invoice or its lines (drafts and rejected invoices left out)',
  silentGrants: 'Distinct grants flagged silent (no delivered session for the rule set’s weeks, invoiced or not) on a day of the measured period',
} as const;

/** A grant's granted time; `end` is the day it ended when it was ended early. */
export interface PerformanceGrant {
  supplierId: string;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
}

export interface PerformanceDelivery {
  supplierId: string;
  date: CalendarDate;
  /** Negative on a credit line. */
  minutes: number;
}

export interface InvoiceCounts {
  supplierId: string;
  invoices: number;
  errors: number;
  warnings: number;
}

/** One minimum_contact_missing finding: the grant and the ISO week ('2026-W42') without contact. */
export interface MissedContactFinding {
  supplierId: string;
  grantReference: string;
  week: string;
}

/** The granted minutes of a grant inside from..to: minutesPerWeek × overlapping days / 7, rounded half up. */
export function grantedMinutes(grant: Pick<PerformanceGrant, 'minutesPerWeek' | 'start' | 'end'>, from: CalendarDate, to: CalendarDate): number {
  const inside = overlap(grant.start, grant.end, from, to);
  return inside === null ? 0 : minutesOverDays(grant.minutesPerWeek, daysInclusive(inside.from, inside.to));
}

/** Weeks without minimum contact per supplier: distinct grant and ISO week of the year, however many invoices repeated the finding. */
export function missedContactWeeks(findings: MissedContactFinding[], year: number): Map<string, number> {
  const seen = new Map<string, Set<string>>();
  const prefix = `${String(year).padStart(4, '0')}-W`;
  for (const finding of findings) {
    if (!finding.week.startsWith(prefix)) continue;
    let weeks = seen.get(finding.supplierId);
    if (!weeks) seen.set(finding.supplierId, (weeks = new Set()));
    weeks.add(`${finding.grantReference}|${finding.week}`);
  }
  return new Map([...seen].map(([supplierId, weeks]) => [supplierId, weeks.size]));
}

export interface PerformanceFigures {
  grants: number;
  grantedMinutes: number;
  deliveredMinutes: number;
  deliveredPercent: number | null;
  invoices: number;
  errors: number;
  warnings: number;
  findingsPerInvoice: number | null;
  missedMinimumContacts: number;
  silentGrants: number;
}

export interface SupplierPerformanceInput {
  year: number;
  today: CalendarDate;
  grants: PerformanceGrant[];
  deliveries: PerformanceDelivery[];
  invoices: InvoiceCounts[];
  missedContacts: MissedContactFinding[];
  /** Grants flagged silent in the measured period, per supplier. */
  silentGrants?: ReadonlyMap<string, number>;
  suppliers: ReportSupplier[];
}

export interface SupplierPerformanceReport {
  year: number;
  measuredFrom: CalendarDate;
  /** The last day measured; null when the year has not begun. */
  measuredThrough: CalendarDate | null;
  definitions: typeof PERFORMANCE_DEFINITIONS;
  total: PerformanceFigures;
  suppliers: Array<{ supplierId: string; supplierName: string; supplierKind: SupplierKind | null } & PerformanceFigures>;
}

interface Tally {
  grants: number;
  grantedMinutes: number;
  deliveredMinutes: number;
  invoices: number;
  errors: number;
  warnings: number;
  missedMinimumContacts: number;
  silentGrants: number;
}

const emptyTally = (): Tally => ({ grants: 0, grantedMinutes: 0, deliveredMinutes: 0, invoices: 0, errors: 0, warnings: 0, missedMinimumContacts: 0, silentGrants: 0 });

function figures(tally: Tally): PerformanceFigures {
  return {
    grants: tally.grants,
    grantedMinutes: tally.grantedMinutes,
    deliveredMinutes: tally.deliveredMinutes,
    deliveredPercent: percentOneDecimal(tally.deliveredMinutes, tally.grantedMinutes),
    invoices: tally.invoices,
    errors: tally.errors,
    warnings: tally.warnings,
    findingsPerInvoice: ratioTwoDecimals(tally.errors + tally.warnings, tally.invoices),
    missedMinimumContacts: tally.missedMinimumContacts,
    silentGrants: tally.silentGrants,
  };
}

export function supplierPerformance(input: SupplierPerformanceInput): SupplierPerformanceReport {
  const { from, to: yearEnd } = yearPeriod(input.year);
  const through = minDate(input.today, yearEnd);
  const measured = compareDates(through, from) >= 0;
  const tallies = new Map<string, Tally>();
  const tallyOf = (supplierId: string): Tally => {
    let tally = tallies.get(supplierId);
    if (!tally) tallies.set(supplierId, (tally = emptyTally()));
    return tally;
  };
  if (measured) {
    for (const grant of input.grants) {
      if (overlap(grant.start, grant.end, from, through) === null) continue;
      const tally = tallyOf(grant.supplierId);
      tally.grants += 1;
      tally.grantedMinutes += grantedMinutes(grant, from, through);
    }
    for (const delivery of input.deliveries) {
      if (compareDates(delivery.date, from) < 0 || compareDates(delivery.date, through) > 0) continue;
      tallyOf(delivery.supplierId).deliveredMinutes += delivery.minutes;
    }
  }
  for (const counts of input.invoices) {
    const tally = tallyOf(counts.supplierId);
    tally.invoices += counts.invoices;
    tally.errors += counts.errors;
    tally.warnings += counts.warnings;
  }
  for (const [supplierId, weeks] of missedContactWeeks(input.missedContacts, input.year)) tallyOf(supplierId).missedMinimumContacts += weeks;
  if (measured) for (const [supplierId, grants] of input.silentGrants ?? []) tallyOf(supplierId).silentGrants += grants;

  const total = emptyTally();
  for (const tally of tallies.values()) for (const key of Object.keys(total) as Array<keyof Tally>) total[key] += tally[key];
  const suppliers = new Map(input.suppliers.map((supplier) => [supplier.id, supplier]));
  return {
    year: input.year,
    measuredFrom: from,
    measuredThrough: measured ? through : null,
    definitions: PERFORMANCE_DEFINITIONS,
    total: figures(total),
    suppliers: [...tallies.keys()]
      .map((id) => ({ id, name: suppliers.get(id)?.name ?? id, kind: suppliers.get(id)?.kind ?? null }))
      .sort(bySupplierName)
      .map((supplier) => ({ supplierId: supplier.id, supplierName: supplier.name, supplierKind: supplier.kind, ...figures(tallies.get(supplier.id) as Tally) })),
  };
}
