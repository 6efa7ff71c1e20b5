import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { BillingErrorCode } from './billing/billing.errors';
import { AnswerErrorCode, CommonErrorCode } from './common/errors/common.errors';
import { DomainErrorCode } from './common/errors/domain.exception';
import { GrantsErrorCode } from './grants/grants.errors';
import { IdentityErrorCode } from './identity/identity.errors';
import { InvoicesErrorCode } from './invoices/invoices.errors';
import { NotificationsErrorCode } from './notifications/notifications.errors';
import { RefundsErrorCode } from './refunds/refunds.errors';
import { ReportsErrorCode } from './reports/reports.errors';
import { RulesErrorCode } from './rules/rules.errors';
import { SuppliersErrorCode } from './suppliers/suppliers.errors';

/**
 * Every module's catalogue of error codes, in one place for what needs them all: the OpenAPI document and
 * the test that every code has its text in Danish and English. A code is in exactly one catalogue.
 */
export const ERROR_CATALOGUES = {
  common: CommonErrorCode,
  identity: IdentityErrorCode,
  rules: RulesErrorCode,
  suppliers: SuppliersErrorCode,
  grants: GrantsErrorCode,
  invoices: InvoicesErrorCode,
  billing: BillingErrorCode,
  refunds: RefundsErrorCode,
  reports: ReportsErrorCode,
  notifications: NotificationsErrorCode,
} as const;

export type ErrorCatalogueName = keyof typeof ERROR_CATALOGUES;

/** The codes of one catalogue, in their order there. */
export function errorCodesOf(name: ErrorCatalogueName): string[] {
  return Object.values(ERROR_CATALOGUES[name]) as string[];
}

/** Every code a detail's `rule` can hold, sorted. */
export const DETAIL_ERROR_CODES: readonly string[] = (Object.keys(ERROR_CATALOGUES) as ErrorCatalogueName[]).flatMap(errorCodesOf).sort();

/** Every code of an answer as a whole (its `message`): the domain errors' and the HTTP refusals'. */
export const ANSWER_ERROR_CODES: readonly string[] = [...Object.values(DomainErrorCode), ...Object.values(AnswerErrorCode)];

/** The OpenAPI tags of each module's routes, whose errors its catalogue names. */
export const ERROR_CATALOGUE_TAGS: Record<Exclude<ErrorCatalogueName, 'common'>, readonly string[]> = {
  identity: ['auth', 'users'],
  rules: ['rule-sets'],
  suppliers: ['suppliers', 'agreements'],
  grants: ['citizens', 'grants'],
  invoices: ['invoices'],
  billing: ['billing'],
  refunds: ['refunds'],
  reports: ['reports'],
  notifications: ['notifications'],
};

/**
 * Lists the codes in the OpenAPI document: a detail's `rule` as an enum of every code, `x-error-codes` on
 * the document (each catalogue, and the answers' codes) and on each module's tags (its own codes).
 */
export function documentErrorCodes(document: OpenAPIObject): OpenAPIObject {
  const detail = document.components?.schemas?.ErrorDetailDto as SchemaObject | undefined;
  const rule = detail?.properties?.rule as SchemaObject | undefined;
  if (rule) rule.enum = [...DETAIL_ERROR_CODES];
  const catalogues = Object.fromEntries((Object.keys(ERROR_CATALOGUES) as ErrorCatalogueName[]).map((name) => [name, errorCodesOf(name)]));
  (document as OpenAPIObject & Record<string, unknown>)['x-error-codes'] = { ...catalogues, answer: [...ANSWER_ERROR_CODES] };
  const tags = [...(document.tags ?? [])];
  for (const [name, tagNames] of Object.entries(ERROR_CATALOGUE_TAGS) as Array<[ErrorCatalogueName, readonly string[]]>) {
    for (const tagName of tagNames) {
      const index = tags.findIndex((tag) => tag.name === tagName);
      const tag = { ...(index >= 0 ? tags[index] : { name: tagName }), 'x-error-codes': errorCodesOf(name) };
      if (index >= 0) tags[index] = tag;
      else tags.push(tag);
    }
  }
  document.tags = tags;
  return document;
}
