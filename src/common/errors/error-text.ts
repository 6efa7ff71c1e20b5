import { hasText, translate, type Catalogues } from '../i18n/messages';
import type { Language } from '../web/page-context';
import type { ErrorDetail } from './domain.exception';

/** The one error shape, as the API answers it and the pages show it. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: ErrorDetail[];
}

/** What a page adds to the texts of an error: a heading for what was tried, and its labels of the fields. */
export interface ErrorTextOptions {
  /** Catalogue key of the heading over the details (e.g. 'invoices.error.submit'), or one by the answer; the answer's own text otherwise. */
  heading?: string | ((body: ErrorBody) => string | undefined);
  /** The label of a field on the page; the field's path where it gives none. */
  fieldLabel?: (field: string) => string | undefined;
}

// A placeholder a text needs but the detail's values do not fill.
const UNFILLED = /\{\w+(?::[\w.]+)?\}/;

/**
 * A detail's text in the language: the catalogue's `error.<rule>`, filled from the detail's values. Its own
 * (English) message where the catalogue has no text for the rule or the detail lacks a value the text needs.
 */
export function detailText(catalogues: Catalogues, lang: Language, detail: ErrorDetail): string {
  const key = `error.${detail.rule}`;
  if (!hasText(catalogues, lang, key)) return detail.message;
  const text = translate(catalogues, lang, key, detail.values ?? {});
  return UNFILLED.test(text) ? detail.message : text;
}

/**
 * The error shape with its texts from the one catalogue in the language: the message is the heading (a
 * page's) or the answer's own text, each detail's message the text of its rule, each field its label on the
 * page. The status, the error, the rules and the values stay as they are.
 */
export function localizeErrorBody(catalogues: Catalogues, lang: Language, body: ErrorBody, answer: { key: string; params?: Record<string, unknown> }, options: ErrorTextOptions = {}): ErrorBody {
  const chosen = typeof options.heading === 'function' ? options.heading(body) : options.heading;
  const heading = chosen ?? answer.key;
  const message = hasText(catalogues, lang, heading) ? translate(catalogues, lang, heading, chosen === undefined ? (answer.params ?? {}) : {}) : body.message;
  const details = body.details.map((detail) => {
    const label = detail.field === undefined ? undefined : (options.fieldLabel?.(detail.field) ?? detail.field);
    return { ...detail, ...(label === undefined ? {} : { field: label }), message: detailText(catalogues, lang, detail) };
  });
  return { ...body, message, details };
}
