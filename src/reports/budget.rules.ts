import { addDays, compareDates, lastDayOfMonth, maxDate, minDate, monthOf, type CalendarDate, type CalendarMonth } from '../common/time/calendar-date';
import { lineAmountOre } from '../invoices/invoice-amounts';
import { MENTOR_TYPES, type MentorType } from '../rules/rule-set';
import { rateInForce, type Rate } from '../suppliers/rate-card.rules';
import { daysInclusive, minutesOverDays, monthsOfYear, percentOneDecimal, sumOre, yearPeriod } from './report-arithmetic.rules';
import { bySupplierName, type ReportSupplier } from './report-supplier';

/**
 * The budget report (budgetopfølgning): what a year's mentor support has cost and is bound to cost,
 * month by month, against the year's budget and refund frame.
 *
 * Spent: the approved amounts excl. VAT of deliveries dated in the month, credit lines as negative
 * amounts at the date of the session they correct.
 *
 * Committed: what the active grants will still cost this year if every granted minute is delivered.
 * For each active grant, the days from max(today, start, 1 January) to min(end, 31 December) are split
 * by month and, inside a month, by the agreement's rate in force for the grant's mentor type and level
 * (a price regulation mid-month makes two pieces). Each piece costs
 *     minutes = round(minutesPerWeek × days / 7)          (whole minutes, half up)
 *     øre     = round(minutes × rate per hour / 60)       (whole øre, half up)
 * with divideRoundingHalfUp, so rounding happens once per grant, month and rate. Today counts as a
 * remaining day. Days without a rate in force cost nothing and are listed as unpriced.
 *
 * Forecast to year end: spent + committed (method `spent_plus_committed`). It leaves out deliveries
 * dated before today that are not approved yet, and assumes every remaining granted minute is used.
 */

export const FORECAST_METHOD = 'spent_plus_committed';

export const BUDGET_DEFINITIONS = {
  spent: 'Approved amounts excl. VAT of deliveries dated in the month; credit lines count as negative amounts at the date of the session they correct',
  committed:
    'Active grants, from the later of today and the start to the end, inside the year: per grant, month and rate in force, minutes = round(minutesPerWeek × days / 7), øre = round(minutes × rate per hour / 60), half up',
  forecast: 'spent + committed (spent_plus_committed); deliveries before today not yet approved are in neither',
} as const;

/** An approved delivery (or credit) as the budget sees it. */
export interface BudgetDelivery {
  date: CalendarDate;
  /** Approved øre excl. VAT; negative on a credit line. */
  approvedOre: number;
  mentorType: MentorType;
  supplierId: string;
}

/** An active grant with its agreement's rate card (a partnership's default rate included). */
export interface CommitmentGrant {
  grantId: string;
  reference: string;
  supplierId: string;
  mentorType: MentorType;
  serviceLevel: number;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  rates: Rate[];
}

/** Consecutive remaining days of one grant in one month at one rate. */
export interface CommitmentPiece {
  month: CalendarMonth;
  from: CalendarDate;
  to: CalendarDate;
  days: number;
  minutes: number;
  /** The rate in force over the piece; null when the card has none. */
  rateOre: number | null;
  ore: number;
}

export interface GrantCommitment {
  grantId: string;
  reference: string;
  supplierId: string;
  mentorType: MentorType;
  pieces: CommitmentPiece[];
  unpricedDays: number;
}

/** The remaining granted minutes of one grant inside the year, priced month by month (see the formula above). */
export function grantCommitment(grant: CommitmentGrant, year: number, today: CalendarDate): GrantCommitment {
  const { from: yearStart, to: yearEnd } = yearPeriod(year);
  const from = maxDate(today, grant.start, yearStart);
  const to = minDate(grant.end, yearEnd);
  const pieces: CommitmentPiece[] = [];
  for (let monthStart = from; compareDates(monthStart, to) <= 0; monthStart = addDays(lastDayOfMonth(monthOf(monthStart)), 1)) {
    const monthEnd = minDate(lastDayOfMonth(monthOf(monthStart)), to);
    pieces.push(...pricedRuns(grant, monthStart, monthEnd));
  }
  const unpricedDays = pieces.filter((piece) => piece.rateOre === null).reduce((sum, piece) => sum + piece.days, 0);
  return { grantId: grant.grantId, reference: grant.reference, supplierId: grant.supplierId, mentorType: grant.mentorType, pieces, unpricedDays };
}

// Runs of days in from..to (one month) with the same rate in force, each priced on its own.
function pricedRuns(grant: CommitmentGrant, from: CalendarDate, to: CalendarDate): CommitmentPiece[] {
  const rateOn = (date: CalendarDate): number | null => rateInForce(grant.rates, grant.mentorType, grant.serviceLevel, date)?.rateOre ?? null;
  const pieces: CommitmentPiece[] = [];
  let runStart = from;
  let runRate = rateOn(from);
  for (let day = from; compareDates(day, to) <= 0; day = addDays(day, 1)) {
    const next = addDays(day, 1);
    const nextRate = compareDates(next, to) <= 0 ? rateOn(next) : undefined;
    if (nextRate === runRate) continue;
    const days = daysInclusive(runStart, day);
    const minutes = minutesOverDays(grant.minutesPerWeek, days);
    pieces.push({ month: monthOf(runStart), from: runStart, to: day, days, minutes, rateOre: runRate, ore: runRate === null ? 0 : lineAmountOre(minutes, runRate) });
    runStart = next;
    runRate = nextRate ?? null;
  }
  return pieces;
}

export interface BudgetInput {
  year: number;
  today: CalendarDate;
  budget: { budgetOre: number; frameOre: number | null } | null;
  deliveries: BudgetDelivery[];
  /** The active grants; ended, cancelled and draft grants commit nothing. */
  grants: CommitmentGrant[];
  suppliers: ReportSupplier[];
}

export interface BudgetMonth {
  month: CalendarMonth;
  spentOre: number;
  committedOre: number;
  /** spent + committed. */
  forecastOre: number;
}

export interface BudgetFigures {
  spentOre: number;
  committedOre: number;
  forecastOre: number;
  months: BudgetMonth[];
}

export interface BudgetReport {
  year: number;
  /** The day the report was computed on; committed counts from it. */
  today: CalendarDate;
  budgetOre: number | null;
  frameOre: number | null;
  forecastMethod: typeof FORECAST_METHOD;
  definitions: typeof BUDGET_DEFINITIONS;
  totals: {
    spentOre: number;
    committedOre: number;
    forecastOre: number;
    /** budget − forecast; negative when the forecast passes the budget; null without a budget. */
    budgetLeftAfterForecastOre: number | null;
    forecastPercentOfBudget: number | null;
  };
  months: Array<BudgetMonth & { cumulativeForecastOre: number }>;
  byMentorType: Array<{ mentorType: MentorType } & BudgetFigures>;
  bySupplier: Array<{ supplierId: string; supplierName: string; supplierKind: ReportSupplier['kind'] | null } & BudgetFigures>;
  /** Active grants with remaining days this year but no rate in force on some of them: their cost is missing from committed. */
  unpricedGrants: Array<{ grantReference: string; days: number }>;
}

// Spent and committed øre per month, for one row of the report.
class MonthLedger {
  private readonly spent = new Map<CalendarMonth, number[]>();
  private readonly committed = new Map<CalendarMonth, number[]>();

  addSpent(month: CalendarMonth, ore: number): void {
    push(this.spent, month, ore);
  }

  addCommitted(month: CalendarMonth, ore: number): void {
    push(this.committed, month, ore);
  }

  figures(months: CalendarMonth[]): BudgetFigures {
    const rows = months.map((month) => {
      const spentOre = sumOre(this.spent.get(month) ?? []);
      const committedOre = sumOre(this.committed.get(month) ?? []);
      return { month, spentOre, committedOre, forecastOre: spentOre + committedOre };
    });
    const spentOre = sumOre(rows.map((row) => row.spentOre));
    const committedOre = sumOre(rows.map((row) => row.committedOre));
    return { spentOre, committedOre, forecastOre: spentOre + committedOre, months: rows };
  }
}

function push(map: Map<CalendarMonth, number[]>, month: CalendarMonth, ore: number): void {
  const list = map.get(month);
  if (list) list.push(ore);
  else map.set(month, [ore]);
}

function ledgerOf<K>(map: Map<K, MonthLedger>, key: K): MonthLedger {
  let ledger = map.get(key);
  if (!ledger) {
    ledger = new MonthLedger();
    map.set(key, ledger);
  }
  return ledger;
}

export function budgetReport(input: BudgetInput): BudgetReport {
  const months = monthsOfYear(input.year);
  const { from, to } = yearPeriod(input.year);
  const total = new MonthLedger();
  const byType = new Map<MentorType, MonthLedger>();
  const bySupplier = new Map<string, MonthLedger>();
  for (const delivery of input.deliveries) {
    if (compareDates(delivery.date, from) < 0 || compareDates(delivery.date, to) > 0) continue;
    const month = monthOf(delivery.date);
    for (const ledger of [total, ledgerOf(byType, delivery.mentorType), ledgerOf(bySupplier, delivery.supplierId)]) ledger.addSpent(month, delivery.approvedOre);
  }
  const unpricedGrants: BudgetReport['unpricedGrants'] = [];
  for (const grant of input.grants) {
    const commitment = grantCommitment(grant, input.year, input.today);
    if (commitment.pieces.length === 0) continue;
    for (const piece of commitment.pieces) {
      for (const ledger of [total, ledgerOf(byType, grant.mentorType), ledgerOf(bySupplier, grant.supplierId)]) ledger.addCommitted(piece.month, piece.ore);
    }
    if (commitment.unpricedDays > 0) unpricedGrants.push({ grantReference: grant.reference, days: commitment.unpricedDays });
  }

  const totals = total.figures(months);
  let cumulative = 0;
  const budgetOre = input.budget?.budgetOre ?? null;
  const suppliers = new Map(input.suppliers.map((supplier) => [supplier.id, supplier]));
  return {
    year: input.year,
    today: input.today,
    budgetOre,
    frameOre: input.budget?.frameOre ?? null,
    forecastMethod: FORECAST_METHOD,
    definitions: BUDGET_DEFINITIONS,
    totals: {
      spentOre: totals.spentOre,
      committedOre: totals.committedOre,
      forecastOre: totals.forecastOre,
      budgetLeftAfterForecastOre: budgetOre === null ? null : budgetOre - totals.forecastOre,
      forecastPercentOfBudget: budgetOre === null ? null : percentOneDecimal(totals.forecastOre, budgetOre),
    },
    months: totals.months.map((month) => ({ ...month, cumulativeForecastOre: (cumulative += month.forecastOre) })),
    byMentorType: MENTOR_TYPES.filter((type) => byType.has(type)).map((mentorType) => ({ mentorType, ...(byType.get(mentorType) as MonthLedger).figures(months) })),
    bySupplier: [...bySupplier.keys()]
      .map((id) => ({ id, name: suppliers.get(id)?.name ?? id, kind: suppliers.get(id)?.kind ?? null }))
      .sort(bySupplierName)
      .map((supplier) => ({ supplierId: supplier.id, supplierName: supplier.name, supplierKind: supplier.kind, ...(bySupplier.get(supplier.id) as MonthLedger).figures(months) })),
    unpricedGrants: unpricedGrants.sort((a, b) => a.grantReference.localeCompare(b.grantReference)),
  };
}
