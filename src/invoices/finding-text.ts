import { translate, type Catalogue } from '../common/i18n/messages';
import { formatKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import type { Finding, FindingCode } from './finding';

export type Catalogues = Record<Language, Catalogue>;

/**
 * The catalogue keys of each finding's text (templates/i18n/findings.<lang>.json): `finding.<code>`, and for a
 * code whose sentence depends on its values, the variants `finding.<code>.<variant>`.
 */
export const FINDING_TEXT_KEYS: Record<FindingCode, readonly string[]> = {
  grant_unknown: ['finding.grant_unknown'],
  grant_not_active: ['finding.grant_not_active', 'finding.grant_not_active.ended'],
  date_in_future: ['finding.date_in_future'],
  date_outside_grant: ['finding.date_outside_grant'],
  date_before_activation: ['finding.date_before_activation'],
  agreement_unknown: ['finding.agreement_unknown'],
  date_outside_agreement: ['finding.date_outside_agreement', 'finding.date_outside_agreement.open_ended'],
  rate_missing: ['finding.rate_missing'],
  rate_above_agreement: ['finding.rate_above_agreement'],
  rate_above_price_cap: ['finding.rate_above_price_cap'],
  rate_above_employee_rate: ['finding.rate_above_employee_rate'],
  line_amount: ['finding.line_amount'],
  duplicate_delivery: ['finding.duplicate_delivery', 'finding.duplicate_delivery.same_invoice'],
  week_over_grant: ['finding.week_over_grant'],
  hours_beyond_log: ['finding.hours_beyond_log'],
  ceiling_passed: ['finding.ceiling_passed', 'finding.ceiling_passed.line'],
  ceiling_warning: ['finding.ceiling_warning'],
  net_total: ['finding.net_total'],
  vat_total: ['finding.vat_total'],
  invoice_total: ['finding.invoice_total'],
  minimum_contact_missing: ['finding.minimum_contact_missing', 'finding.minimum_contact_missing.every_weeks'],
  credit_unmatched: ['finding.credit_unmatched'],
};

/** The key of the one sentence that says what this finding found. */
export function findingTextKey(finding: Pick<Finding, 'code' | 'field' | 'values'>): string {
  const { values } = finding;
  const variant = ((): string | null => {
    switch (finding.code) {
      case 'grant_not_active':
        // An ended grant is billable up to its end: the finding then says when it ended.
        return values.status === 'ended' ? 'ended' : null;
      case 'date_outside_agreement':
        return values.agreementValidTo === null ? 'open_ended' : null;
      case 'duplicate_delivery':
        return typeof values.duplicateOfLine === 'number' ? 'same_invoice' : null;
      case 'ceiling_passed':
        return finding.field === undefined ? null : 'line';
      case 'minimum_contact_missing':
        return typeof values.everyWeeks === 'number' && values.everyWeeks > 1 ? 'every_weeks' : null;
      default:
        return null;
    }
  })();
  return variant === null ? `finding.${finding.code}` : `finding.${finding.code}.${variant}`;
}

const LINE_FIELD = /^lines\[(\d+)\]/;
// Amounts a finding names in øre besides those called …Ore: what a line or total should be and what it says.
const ORE_VALUES = new Set(['expected', 'given']);

/**
 * What a finding's sentence may name: its values; an amount in øre (`rateOre`, `expected`) in kroner under its name
 * without `Ore` (`{rate}`, `{expected}`); the line its field names (`{line}`); the first week of a run without
 * contact (`{firstWeek}`); and, for a line's finding that does not name its grant, the line's grant reference.
 */
export function findingParams(finding: Pick<Finding, 'field' | 'values'>, lang: Language, line?: { grantReference?: string }): Record<string, unknown> {
  const params: Record<string, unknown> = { ...finding.values };
  for (const [name, value] of Object.entries(finding.values)) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) continue;
    if (name.endsWith('Ore') && name.length > 3) params[name.slice(0, -3)] = formatKroner(value, lang);
    else if (ORE_VALUES.has(name)) params[name] = formatKroner(value, lang);
  }
  const at = finding.field === undefined ? null : LINE_FIELD.exec(finding.field);
  if (at !== null) params.line = Number(at[1]);
  if (typeof finding.values.weeksWithoutContact === 'string') params.firstWeek = finding.values.weeksWithoutContact.split(',')[0];
  if (params.grantReference === undefined && line?.grantReference !== undefined) params.grantReference = line.grantReference;
  return params;
}

/**
 * A finding in words, in one language, from the catalogue: the one way a finding is told, to the API, on the pages
 * and in documents. Only its code and values count; a text stored with an older finding is not read.
 */
export function describeFinding(catalogues: Catalogues, lang: Language, finding: Pick<Finding, 'code' | 'field' | 'values'>, line?: { grantReference?: string }): string {
  return translate(catalogues, lang, findingTextKey(finding), findingParams(finding, lang, line));
}

/** A finding as the API answers it: as stored, without any stored text, and told in both languages. */
export function findingWithText<F extends Finding>(catalogues: Catalogues, finding: F, line?: { grantReference?: string }): Finding & { message: { da: string; en: string } } {
  const { code, severity, field, values, approvableOre } = finding;
  return {
    code,
    severity,
    ...(field === undefined ? {} : { field }),
    message: { da: describeFinding(catalogues, 'da', finding, line), en: describeFinding(catalogues, 'en', finding, line) },
    values,
    ...(approvableOre === undefined ? {} : { approvableOre }),
  };
}
