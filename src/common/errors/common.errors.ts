/**
 * The error codes every module shares: the request's body, the checks of the one validation pipe (the
 * names class-validator gives its constraints, kept as they are), and the generic rules of dates, numbers
 * and records. A code is the `rule` of a detail in the one error shape and the key of its text
 * (`error.<code>` in templates/i18n/errors.<lang>.json). A code lives in one catalogue: here when several
 * modules use it, otherwise in its module's `<module>.errors.ts`.
 */
export enum CommonErrorCode {
  // ---- the request's body ----
  JsonSyntax = 'json_syntax',
  MaxSize = 'max_size',
  MaxDepth = 'max_depth',
  Unicode = 'unicode',
  TextCharacter = 'text_character',
  BodyUnreadable = 'body_unreadable',

  // ---- the validation pipe (class-validator's constraint names) ----
  UnknownField = 'unknown_field',
  IsString = 'isString',
  IsInt = 'isInt',
  IsIn = 'isIn',
  IsBoolean = 'isBoolean',
  IsEmail = 'isEmail',
  IsArray = 'isArray',
  IsObject = 'isObject',
  IsUuid = 'isUuid',
  Min = 'min',
  Max = 'max',
  MinLength = 'minLength',
  MaxLength = 'maxLength',
  Matches = 'matches',
  ArrayMinSize = 'arrayMinSize',
  ArrayMaxSize = 'arrayMaxSize',
  NestedValidation = 'nestedValidation',

  // ---- generic rules ----
  Required = 'required',
  Type = 'type',
  Unique = 'unique',
  Exists = 'exists',
  WholeNumber = 'whole_number',
  PositiveInteger = 'positive_integer',
  NonNegativeInteger = 'non_negative_integer',
  BeyondSafeRange = 'beyond_safe_range',
  Kroner = 'kroner',
  DraftOnly = 'draft_only',

  // ---- dates ----
  CalendarDate = 'calendar_date',
  CalendarMonth = 'calendar_month',
  DateOutOfRange = 'date_out_of_range',
  DateWindow = 'date_window',
  PeriodOrder = 'period_order',
  NotInFuture = 'not_in_future',
}

/**
 * The codes of an answer as a whole (its `message`) that no domain error carries: what Nest and the body
 * parser refuse, and the unexpected. A domain error's answer has its DomainErrorCode.
 */
export enum AnswerErrorCode {
  BadRequest = 'bad_request',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  InternalError = 'internal_error',
}
