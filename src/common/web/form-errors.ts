import type { ErrorDetail } from '../errors/domain.exception';
import type { ErrorBody } from '../errors/error-text';

/** A detail as the summary over a form shows it: its text, and a link to the field it names when the form has one. */
export type SummaryDetail = ErrorDetail & { href?: string };

/** What a form needs to show a refusal: the summary at the top, and each field's messages beside it. */
export interface FormErrorView {
  error: ErrorBody & { details: SummaryDetail[] };
  /** The messages by the form's field name (what `fieldAttrs` and the `field-error` partial look up). */
  fieldErrors: Record<string, string[]>;
}

/** How a form's fields are found: the element id of each field name, and the form's name of an API field (ceilingOre → ceilingKr). */
export interface FormFields {
  ids: Readonly<Record<string, string>>;
  aliases?: Readonly<Record<string, string>>;
}

/**
 * The one way a form shows a refusal: `raw` is the error as the API answers it (field paths), `localized`
 * the same with its texts in the page's language (the details in the same order). Each detail that names a
 * field of the form links to it from the summary and is shown beside it.
 */
export function formErrorView(raw: ErrorBody, localized: ErrorBody, fields: FormFields): FormErrorView {
  const fieldErrors: Record<string, string[]> = {};
  const details = localized.details.map((detail, index): SummaryDetail => {
    const path = raw.details[index]?.field;
    const name = path === undefined ? undefined : (fields.aliases?.[path] ?? path);
    const id = name === undefined ? undefined : fields.ids[name];
    if (name === undefined || id === undefined) return detail;
    (fieldErrors[name] ??= []).push(detail.message);
    return { ...detail, href: `#${id}` };
  });
  return { error: { ...localized, details }, fieldErrors };
}

/** The localized messages of an error by the field they name, to show beside it (both bodies' details are in the same order). */
export function fieldMessages(raw: ErrorBody, localized: ErrorBody): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  raw.details.forEach((detail, index) => {
    if (detail.field) (errors[detail.field] ??= []).push(localized.details[index].message);
  });
  return errors;
}
