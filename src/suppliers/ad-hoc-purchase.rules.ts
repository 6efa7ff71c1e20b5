import type { ErrorDetail } from '../common/errors/domain.exception';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { SuppliersErrorCode } from './suppliers.errors';

/**
 * An ad-hoc purchase (enkeltkøb) for one case outside a framework agreement. Pure rules: the spend limit and
 * the team leader's decision (four eyes).
 */

/** The most an ad-hoc purchase may be, in øre (100.000 kr. excl. VAT); a larger one goes through a framework agreement. */
export const AD_HOC_LIMIT_ORE = 100_000_00;

export type AdHocStatus = 'proposed' | 'approved' | 'refused';

export const AD_HOC_TRANSITIONS: readonly Transition<AdHocStatus>[] = [
  { from: 'proposed', to: 'approved', roles: ['team_leader'] },
  { from: 'proposed', to: 'refused', roles: ['team_leader'] },
];

export function adHocTransitionProblem(from: AdHocStatus, to: AdHocStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('ad_hoc_purchase', AD_HOC_TRANSITIONS, from, to, role);
}

export function checkAdHocAmount(amountOre: number, limitOre = AD_HOC_LIMIT_ORE): ErrorDetail[] {
  if (amountOre <= limitOre) return [];
  return [{ field: 'amountOre', rule: SuppliersErrorCode.AdHocOverLimit, message: `an ad-hoc purchase may be at most ${limitOre} øre; this one is ${amountOre}`, values: { amountOre, limitOre } }];
}

export function checkAdHocDecider(proposedBy: string | null, deciderId: string | null): ErrorDetail[] {
  if (deciderId !== null && deciderId !== proposedBy) return [];
  return [{ field: 'approver', rule: SuppliersErrorCode.AdHocApproverDistinct, message: 'an ad-hoc purchase is decided by someone other than the one who proposed it' }];
}
