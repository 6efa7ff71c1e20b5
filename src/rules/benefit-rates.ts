import { compareDates, type CalendarDate } from '../common/time/calendar-date';

/**
 * Benefit rates for the investment case (003), as dated rule data: the gross monthly rate of each benefit per
 * person, valid from a date until the next version, each with its source named. Figures that could not be
 * confirmed against the published rates are marked `example`: the page says so, and they are to be entered
 * from the ministry's rate table before they are relied on. And the municipalities' refund of benefits by the
 * time on benefit (the refund staircase from 4 January 2016), which gives the municipality's net cost a month.
 */

export const BENEFIT_KINDS = ['cash_benefit', 'education_benefit', 'resource_course_benefit'] as const;
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

export interface BenefitRateVersion {
  validFrom: CalendarDate;
  /** Gross monthly rate per person in øre. */
  monthlyOre: Record<BenefitKind, number>;
  source: string;
  /** True when the figures are examples still to be entered from the published rates. */
  example: boolean;
}

export const BENEFIT_RATE_VERSIONS: readonly BenefitRateVersion[] = [
  {
    validFrom: '2026-01-01',
    // Example figures in the order of magnitude of the 2026 rates for a person over 30 without children
    // (cash benefit), a young person not living with parents (education benefit) and resource-course benefit.
    monthlyOre: { cash_benefit: 13_000_00, education_benefit: 7_000_00, resource_course_benefit: 13_000_00 },
    source: 'Eksempel – indtastes fra Beskæftigelsesministeriets satser for 2026 (bm.dk, satser for kontanthjælp, uddannelseshjælp og ressourceforløbsydelse)',
    example: true,
  },
];

/** The rates in force on `date`; null before the first version. */
export function benefitRatesOn(date: CalendarDate, versions: readonly BenefitRateVersion[] = BENEFIT_RATE_VERSIONS): BenefitRateVersion | null {
  return [...versions].filter((v) => compareDates(v.validFrom, date) <= 0).sort((a, b) => compareDates(b.validFrom, a.validFrom))[0] ?? null;
}

/**
 * The state's refund of benefits by time on public support (refusionstrappen, lov om kommunernes finansiering
 * af visse offentlige ydelser efter lov om en aktiv beskæftigelsesindsats m.v., from 4 January 2016): 80 % in
 * weeks 1–4, 40 % in weeks 5–26, 30 % in weeks 27–52 and 20 % after 52 weeks. Read here in whole months of time
 * on benefit: up to 1 month, up to 6, up to 12, more.
 */
export const BENEFIT_REFUND_STAIRCASE = [
  { upToMonths: 1, refundPercent: 80 },
  { upToMonths: 6, refundPercent: 40 },
  { upToMonths: 12, refundPercent: 30 },
  { upToMonths: null, refundPercent: 20 },
] as const;

export const BENEFIT_REFUND_SOURCE = 'Lov om kommunernes finansiering af visse offentlige ydelser (refusionstrappen fra 4. januar 2016)';

/** The refund share in percent after `months` on benefit. */
export function benefitRefundPercent(months: number): number {
  return (BENEFIT_REFUND_STAIRCASE.find((step) => step.upToMonths === null || months <= step.upToMonths) as { refundPercent: number }).refundPercent;
}
