/** Codes of domain errors; the HTTP status of each is decided in one place (the filter). */
export enum DomainErrorCode {
  NotFound = 'not_found',
  Conflict = 'conflict',
  RuleViolation = 'rule_violation',
  Forbidden = 'forbidden',
  InvalidInput = 'invalid_input',
  Unauthenticated = 'unauthenticated',
  /** A client's budget is spent (sign-in attempts); Retry-After says when to come back. */
  TooManyRequests = 'too_many_requests',
  /** The server is at its limit for this kind of work (password hashes); Retry-After says when to try again. */
  Unavailable = 'unavailable',
}

export interface ErrorDetail {
  /** The input field the detail is about, as a path (e.g. `lines[2].minutes`). */
  field?: string;
  /** A stable code from a module's error catalogue (`<module>.errors.ts`), e.g. `cvr_check` or `hours_in_band`; its text is `error.<code>`. */
  rule: string;
  message: string;
  /** The numbers behind the decision, for rules that compare values. */
  values?: Record<string, string | number | boolean | null>;
}

export class DomainException extends Error {
  /** The catalogue key (and parameters) of the answer's message, where it says more than its code's text (`error.<code>`). */
  text?: { key: string; params: Record<string, unknown> };

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Sent as the Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  /** Names the catalogue text of the answer's message, which the one filter shows in the request's language. */
  withText(key: string, params: Record<string, unknown> = {}): this {
    this.text = { key, params };
    return this;
  }

  static notFound(what: string): DomainException {
    return new DomainException(DomainErrorCode.NotFound, `${what} was not found`);
  }

  static rule(message: string, details: ErrorDetail[]): DomainException {
    return new DomainException(DomainErrorCode.RuleViolation, message, details);
  }

  static conflict(message: string, details: ErrorDetail[] = []): DomainException {
    return new DomainException(DomainErrorCode.Conflict, message, details);
  }

  static forbidden(message = 'You do not have access to this action'): DomainException {
    return new DomainException(DomainErrorCode.Forbidden, message);
  }
}
