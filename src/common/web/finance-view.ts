import type { ErrorTextOptions } from '../errors/error-text';
import { formatKroner, formatMinutes } from './format';
import type { Language } from './page-context';

/**
 * What the finance pages (month close, refund claims, reports) share: the reports' one- and two-decimal ratios,
 * hours and instants in the page's language, and the heading and field labels of their errors. Pure.
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

/** Minutes as hours and minutes, as the statements print them: 90 → '1:30', 645 → '10:45' (both languages). */
export function formatHours(minutes: number, _lang: Language): string {
  return formatMinutes(minutes, { as: 'clock' });
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

/**
 * What the finance pages put around an error's texts (which come from the one catalogue): the heading by
 * what was tried, and each field by its label on the form.
 */
export function financeErrorText(action: FinanceAction, t: Translate): ErrorTextOptions {
  return {
    heading: `finance.error.${action}`,
    fieldLabel: (field) => {
      const key = `finance.field.${field}`;
      const label = t(key);
      return label === key ? undefined : label;
    },
  };
}

/** Øre rounded half up to whole kroner, without decimals: '1.250.000 kr.' (da), 'DKK 1,250,000' (en); for chart axes. */
export function formatWholeKroner(ore: number, lang: Language): string {
  return formatKroner(ore, lang, 'whole');
}
