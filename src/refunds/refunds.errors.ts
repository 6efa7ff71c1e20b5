/** The error codes of refund claims and budget years; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum RefundsErrorCode {
  YearRange = 'year_range',
  PeriodNotEmpty = 'period_not_empty',
  Computing = 'computing',
  Computed = 'computed',
  NoOverlap = 'no_overlap',
  ClaimStale = 'claim_stale',
  FrameMissing = 'frame_missing',
  LineNotNegative = 'line_not_negative',
  // A claim's input comes from the ledger; these name what a broken aggregate would break.
  WholeOre = 'whole_ore',
  StretchStart = 'stretch_start',
  RefundClaimTransition = 'refund_claim_transition',
  RefundClaimTransitionRole = 'refund_claim_transition_role',
}
