import type { ErrorDetail } from '../common/errors/domain.exception';
import type { MentorType } from '../rules/rule-set';
import { GrantsErrorCode } from './grants.errors';

/**
 * A partnership agreement names the minutes per week a company mentor is released for (1 hour in 004). A company
 * grant under it may ask for more only with a reason, which the team leader reads when deciding the proposal.
 * Pure.
 */
export interface PartnershipMinutesInput {
  agreementKind: 'framework' | 'partnership';
  /** The agreement's minutes per week; null when it names none. */
  agreementMinutesPerWeek: number | null;
  mentorType: MentorType;
  minutesPerWeek: number;
  excessReason: string | null | undefined;
}

/** A partnership agreement's minutes per week for a company mentor (what prefills and bounds a company grant); null otherwise. */
export function partnershipMinutes(agreement: { kind: string; defaultMinutesPerWeek: number | null }): number | null {
  return agreement.kind === 'partnership' ? agreement.defaultMinutesPerWeek : null;
}

/** The minutes above the agreement's (0 when within it or when the agreement bounds nothing). */
export function minutesAboveAgreement(input: Omit<PartnershipMinutesInput, 'excessReason'>): number {
  if (input.agreementKind !== 'partnership' || input.mentorType !== 'company' || input.agreementMinutesPerWeek === null) return 0;
  return Math.max(0, input.minutesPerWeek - input.agreementMinutesPerWeek);
}

export function checkPartnershipMinutes(input: PartnershipMinutesInput): ErrorDetail[] {
  const excessMinutes = minutesAboveAgreement(input);
  if (excessMinutes === 0 || (input.excessReason ?? '').trim() !== '') return [];
  return [
    {
      field: 'excessReason',
      rule: GrantsErrorCode.PartnershipMinutesReason,
      message: `the partnership agreement releases the company mentor ${input.agreementMinutesPerWeek} minutes a week; ${input.minutesPerWeek} minutes need a reason for the team leader`,
      values: { minutesPerWeek: input.minutesPerWeek, agreementMinutesPerWeek: input.agreementMinutesPerWeek as number, excessMinutes },
    },
  ];
}

/** The reason kept with the grant: only when the minutes exceed the agreement's, trimmed. */
export function keptExcessReason(input: PartnershipMinutesInput): string | null {
  return minutesAboveAgreement(input) > 0 ? (input.excessReason ?? '').trim() || null : null;
}
