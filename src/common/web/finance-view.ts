import type { ErrorBody } from '../errors/http-exception.filter';
import { formatKroner, formatMinutes } from './format';
import type { Language } from './page-context';

/**
 * What the finance pages (month close, refund claims, reports) share: the reports' one- and two-decimal ratios,
 * hours and instants in the page's language, and errors with their texts from the finance catalogue. Pure.
 */

export type Translate = (key: string, params?: Record<string, unknown>) => string;

// ---- numbers ----

/** A ratio the reports round to `decimals` places (a percent, findings per invoice), with the language's decimal mark. */
export function formatDecimal(value: number, decimals: number, lang: Language): string {
  const text = value.toFixed(decimals);
  return lang === 'da' ? text.replace('.', ',') : text;
}

/** '87,5 %' (da) or '87.5 %' (en); '–' when there is nothing to compare with. */
export function formatPercent(value: number | null, lang: Language): string {
  return value === null ? '–' : `${formatDecimal(value, 1, lang)} %`;
}

/** Minutes as hours with up to two decimals, rounded half up: 90 → '1,5', 20 → '0,33'. */
export function formatHours(minutes: number, lang: Language): string {
  return formatMinutes(minutes, { as: 'hours', language: lang });
}

/** An instant as 'YYYY-MM-DD HH:MM' in Copenhagen time; '–' for none. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '–';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

// ---- errors ----

export type FinanceAction = 'billing' | 'statements' | 'claim' | 'submit' | 'budget' | 'report';

function fieldLabel(field: string | undefined, t: Translate): string | undefined {
  if (!field) return field;
  const key = `finance.field.${field}`;
  const text = t(key);
  return text === key ? field : text;
}

/**
 * The error shape with its texts in the page's language: the heading by what was tried, each detail by its
 * rule (øre shown in kroner, a status by its name), the service's own message where the catalogue has none.
 */
export function localizeFinanceError(body: ErrorBody, action: FinanceAction, t: Translate, lang: Language): ErrorBody {
  const details = body.details.map((detail) => {
    const values: Record<string, unknown> = { ...(detail.values ?? {}) };
    for (const [name, value] of Object.entries(detail.values ?? {})) {
      if (name.endsWith('Ore') && typeof value === 'number' && Number.isSafeInteger(value)) values[name.slice(0, -3)] = formatKroner(value, lang);
    }
    if (typeof values.status === 'string') values.status = t(`finance.claim_status.${values.status}`);
    // A refund claim's transition names both states by their names.
    if (detail.rule.startsWith('refund_claim_transition')) for (const name of ['from', 'to']) if (typeof values[name] === 'string') values[name] = t(`finance.claim_status.${values[name] as string}`);
    const key = `finance.rule.${detail.rule}`;
    const translated = t(key, values);
    return { ...detail, field: fieldLabel(detail.field, t), message: translated === key || /\{\w+\}/.test(translated) ? detail.message : translated };
  });
  return { ...body, message: t(`finance.error.${action}`), details };
}

/** Øre rounded half up to whole kroner, without decimals: '1.250.000 kr.' (da), 'DKK 1,250,000' (en); for chart axes. */
export function formatWholeKroner(ore: number, lang: Language): string {
  return formatKroner(ore, lang, 'whole');
}
