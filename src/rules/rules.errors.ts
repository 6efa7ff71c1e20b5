/** The error codes of the dated rule sets; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum RulesErrorCode {
  RuleSetInForce = 'rule_set_in_force',
  RuleSetShape = 'rule_set_shape',
  BandMissing = 'band_missing',
  BandOrder = 'band_order',
  BandContiguous = 'band_contiguous',
  BandOpenEnd = 'band_open_end',
  Level4WithinPeriod = 'level4_within_period',
  PercentRange = 'percent_range',
  Ascending = 'ascending',
  TargetGroupKnown = 'target_group_known',
  MentorTypeKnown = 'mentor_type_known',
  RefundGroupTwice = 'refund_group_twice',
  GroupingOverlap = 'grouping_overlap',
  GroupingSuccessor = 'grouping_successor',
  EndReasonKnown = 'end_reason_known',
}
