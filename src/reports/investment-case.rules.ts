import { divideRoundingHalfUp } from '../invoices/invoice-amounts';
import type { MentorType } from '../rules/rule-set';
import { benefitRefundPercent, type BenefitKind } from '../rules/benefit-rates';

/**
 * The investment case (Rebild 003): a mentor course pays for itself when it shortens the citizen's time on
 * benefit by N months, N = the cost per citizen ÷ the municipality's net benefit cost a month. The net cost is
 * the gross monthly rate less the state's refund at the citizen's time on benefit at start (the refund
 * staircase). Integer øre throughout; N in tenths of a month, rounded half up. Pure.
 */

export interface InvestmentCaseInput {
  year: number;
  benefit: BenefitKind;
  /** Gross monthly benefit per person in øre (the dated rate, or what the user entered). */
  monthlyBenefitOre: number;
  monthlyBenefitSource: 'rule_data' | 'entered';
  monthlyBenefitExample: boolean;
  monthsOnBenefitAtStart: number;
  /** Per mentor type: approved mentor spending in the year and the citizens it helped. */
  byMentorType: Array<{ mentorType: MentorType; amountOre: number; citizens: number }>;
  /** A cost per citizen entered for "what if", replacing the portal's figure for every type. */
  enteredCostPerCitizenOre: number | null;
}

export interface InvestmentCaseRow {
  mentorType: MentorType;
  amountOre: number;
  citizens: number;
  costPerCitizenOre: number | null;
  costSource: 'portal' | 'entered';
  /** Months of benefit the course must save to break even, in tenths; null without a cost or a net benefit. */
  breakEvenTenthsOfMonth: number | null;
}

export interface InvestmentCase {
  year: number;
  benefit: BenefitKind;
  monthlyBenefitOre: number;
  monthlyBenefitSource: 'rule_data' | 'entered';
  monthlyBenefitExample: boolean;
  monthsOnBenefitAtStart: number;
  refundPercent: number;
  netMonthlyBenefitOre: number;
  rows: InvestmentCaseRow[];
}

/** cost ÷ monthly in tenths of a month, rounded half up; null when the monthly cost is 0. */
export function breakEvenTenths(costOre: number, monthlyOre: number): number | null {
  if (monthlyOre <= 0) return null;
  return Number(divideRoundingHalfUp(BigInt(costOre) * 10n, BigInt(monthlyOre)));
}

export function investmentCase(input: InvestmentCaseInput): InvestmentCase {
  const refundPercent = benefitRefundPercent(input.monthsOnBenefitAtStart);
  const netMonthlyBenefitOre = Number(divideRoundingHalfUp(BigInt(input.monthlyBenefitOre) * BigInt(100 - refundPercent), 100n));
  return {
    year: input.year,
    benefit: input.benefit,
    monthlyBenefitOre: input.monthlyBenefitOre,
    monthlyBenefitSource: input.monthlyBenefitSource,
    monthlyBenefitExample: input.monthlyBenefitExample,
    monthsOnBenefitAtStart: input.monthsOnBenefitAtStart,
    refundPercent,
    netMonthlyBenefitOre,
    rows: input.byMentorType.map(({ mentorType, amountOre, citizens }) => {
      const costPerCitizenOre = input.enteredCostPerCitizenOre ?? (citizens === 0 ? null : Number(divideRoundingHalfUp(BigInt(amountOre), BigInt(citizens))));
      return {
        mentorType,
        amountOre,
        citizens,
        costPerCitizenOre,
        costSource: input.enteredCostPerCitizenOre === null ? 'portal' : 'entered',
        breakEvenTenthsOfMonth: costPerCitizenOre === null ? null : breakEvenTenths(costPerCitizenOre, netMonthlyBenefitOre),
      };
    }),
  };
}
