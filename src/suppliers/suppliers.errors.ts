/** The error codes of suppliers, agreements and rate cards; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum SuppliersErrorCode {
  CvrCheck = 'cvr_check',
  GlnCheck = 'gln_check',
  SupplierKind = 'supplier_kind',
  CeilingOnlyFramework = 'ceiling_only_framework',
  DefaultsOnlyPartnership = 'defaults_only_partnership',
  ExtensionOptionsUsed = 'extension_options_used',
  ExtensionOptionsExhausted = 'extension_options_exhausted',
  MentorTypeCovered = 'mentor_type_covered',
  ServiceLevelExists = 'service_level_exists',
  RatePositive = 'rate_positive',
  RateAboveCap = 'rate_above_cap',
  RateOverlap = 'rate_overlap',
}
