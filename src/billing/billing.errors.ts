/** The error codes of the month close: billing runs and statements; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum BillingErrorCode {
  MonthEnded = 'month_ended',
  // Making a month final while invoices of it still wait: they must be decided or ticked to go to next month.
  DeferPending = 'defer_pending',
  StatementNumberRange = 'statement_number_range',
  CorrectionMonth = 'correction_month',
  // A statement's input comes from the ledger; these name what a broken ledger row would break.
  LineKind = 'line_kind',
  LineMinutes = 'line_minutes',
  CreditEmpty = 'credit_empty',
  CreditDate = 'credit_date',
  VatRate = 'vat_rate',
  InvoiceNumberRequired = 'invoice_number_required',
  DeliveryInMonth = 'delivery_in_month',
  GrantConsistent = 'grant_consistent',
  IssuedBeforeMonth = 'issued_before_month',
  StatementTransition = 'statement_transition',
  StatementTransitionRole = 'statement_transition_role',
  BillingRunTransition = 'billing_run_transition',
  BillingRunTransitionRole = 'billing_run_transition_role',
}
