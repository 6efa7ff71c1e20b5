/**
 * The error codes of invoices and hour registrations that reach a caller in the error shape: reading a
 * file (JSON, CSV, UBL), checking an invoice before it is stored, the review and the self-billing month.
 * Each is a detail's `rule` and the key of its text (`error.<code>`). Findings on a stored invoice are not
 * errors and have their own codes.
 */
export enum InvoicesErrorCode {
  // ---- reading the invoice ----
  InvoiceNumberFormat = 'invoice_number_format',
  LineObject = 'line_object',
  DateFormat = 'date_format',
  Length = 'length',
  Amount = 'amount',
  AmountFormat = 'amount_format',
  AmountRange = 'amount_range',
  MinutesInDay = 'minutes_in_day',
  MinutesFormat = 'minutes_format',
  QuantityFormat = 'quantity_format',
  QuantityMinutes = 'quantity_minutes',
  ContactForm = 'contact_form',
  Transport = 'transport',
  GrantReferenceFormat = 'grant_reference_format',
  MaxLines = 'max_lines',
  MaxCellLength = 'max_cell_length',
  Formula = 'formula',
  XmlMalformed = 'xml_malformed',
  XmlEncoding = 'xml_encoding',
  DtdForbidden = 'dtd_forbidden',
  DocumentType = 'document_type',
  CurrencyDkk = 'currency_dkk',
  SellerIsYou = 'seller_is_you',
  SellerKnown = 'seller_known',
  InvoiceNumberUnique = 'invoice_number_unique',
  // the e-invoice's own elements, named in their text
  UblQuantityFormat = 'ubl_quantity_format',
  UblQuantityMinutes = 'ubl_quantity_minutes',
  UblAmountFormat = 'ubl_amount_format',
  UblAmountRange = 'ubl_amount_range',
  UblPriceFormat = 'ubl_price_format',
  UblPriceRange = 'ubl_price_range',
  UblLineDateFormat = 'ubl_line_date_format',
  // the e-invoice's buyer and references
  BuyerEndpoint = 'buyer_endpoint',
  OrderReference = 'order_reference',

  // ---- the invoice's sums (invoice-amounts.ts) ----
  LineAmount = 'line_amount',
  NetTotal = 'net_total',
  VatTotal = 'vat_total',
  InvoiceTotal = 'invoice_total',

  // ---- the pages' forms and uploads ----
  OwnActiveGrant = 'own_active_grant',
  NoLines = 'no_lines',
  PeriodToBeforeDate = 'period_to_before_date',
  FileRequired = 'file_required',
  FileType = 'file_type',
  FileTooLarge = 'file_too_large',
  FileUnreadable = 'file_unreadable',

  // ---- review ----
  ApproverNotSubmitter = 'approver_not_submitter',
  SecondApproverDistinct = 'second_approver_distinct',
  NumbersChanged = 'numbers_changed',
  NothingApprovable = 'nothing_approvable',
  AwaitingApproval = 'awaiting_approval',
  ConcurrentChange = 'concurrent_change',
  PaidOnce = 'paid_once',

  // ---- hour registration (self-billing) ----
  PartnerCompany = 'partner_company',
  BeforeGrant = 'before_grant',
  MonthOpen = 'month_open',
  DraftExists = 'draft_exists',
  NotEmpty = 'not_empty',

  // ---- the session log ----
  SessionInGrant = 'session_in_grant',
  WithWhom = 'with_whom',
  SessionDuplicate = 'session_duplicate',
  SessionInvoiced = 'session_invoiced',

  // ---- lifecycles ----
  InvoiceTransition = 'invoice_transition',
  InvoiceTransitionRole = 'invoice_transition_role',
  DeliveryTransition = 'delivery_transition',
  DeliveryTransitionRole = 'delivery_transition_role',

  // ---- hold and dispute ----
  ReleaseAfterToday = 'release_after_today',
  LineExists = 'line_exists',
  LineHasFindings = 'line_has_findings',
  AnsweredOnce = 'answered_once',
  CommentRequired = 'comment_required',
  OpenDispute = 'open_dispute',
  FindingAnswerTransition = 'finding_answer_transition',
  ReplacementReceived = 'replacement_received',
  CreditNoteReceived = 'credit_note_received',
  FindingAnswerTransitionRole = 'finding_answer_transition_role',
  InvoiceHoldTransition = 'invoice_hold_transition',
  InvoiceHoldTransitionRole = 'invoice_hold_transition_role',
  EmployeeRateMissing = 'employee_rate_missing',
  UblSellerInternal = 'ubl_seller_internal',
}
