import type { ErrorDetail } from './domain.exception';

export type ErrorValues = NonNullable<ErrorDetail['values']>;

export interface RuleErrorOptions {
  /** The input field the error is about, when the rule knows it (e.g. `month`). */
  field?: string;
  /** The numbers behind the decision; they fill the placeholders of the code's text. */
  values?: ErrorValues;
  /** The input meets the rules but conflicts with stored state (409 rather than 422). */
  conflict?: boolean;
}

/**
 * A pure rule's refusal of its input: a code from its module's error catalogue, the English message and the
 * values behind it. Pure code throws it where a caller's input can break the rule (a month before year 1000,
 * an amount beyond the safe range); the one filter answers 422 (409 for a conflict) with the detail
 * `{ field, rule: code, message, values }`, and a job that meets it stops instead of trying again.
 *
 * A broken internal invariant (a bug, not input) stays a plain Error and a 500.
 */
export class RuleError extends Error {
  readonly field?: string;
  readonly values: ErrorValues;
  readonly conflict: boolean;

  constructor(
    readonly code: string,
    message: string,
    options: RuleErrorOptions = {},
  ) {
    super(message);
    this.name = 'RuleError';
    this.field = options.field;
    this.values = options.values ?? {};
    this.conflict = options.conflict ?? false;
  }

  /** The error as a detail of the one error shape. */
  get detail(): ErrorDetail {
    return { ...(this.field === undefined ? {} : { field: this.field }), rule: this.code, message: this.message, ...(Object.keys(this.values).length === 0 ? {} : { values: this.values }) };
  }
}
