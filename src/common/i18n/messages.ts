import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatKroner, formatMinutes } from '../web/format';
import type { Language } from '../web/page-context';

export type Catalogue = Readonly<Record<string, string>>;
export type Catalogues = Record<Language, Catalogue>;

/**
 * One message catalogue per language: templates/i18n/<lang>.json, plus one
 * file per area (templates/i18n/<area>.<lang>.json, errors.<lang>.json for the
 * error codes) merged into it.
 */
export function loadCatalogues(templatesDir: string): Catalogues {
  const dir = join(templatesDir, 'i18n');
  const files = readdirSync(dir).sort();
  const read = (lang: Language): Catalogue =>
    Object.assign({}, ...files.filter((file) => file === `${lang}.json` || file.endsWith(`.${lang}.json`)).map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Catalogue));
  return { da: read('da'), en: read('en') };
}

/** Whether the catalogues hold a text for the key, in the language or in Danish. */
export function hasText(catalogues: Catalogues, lang: Language, key: string): boolean {
  return catalogues[lang][key] !== undefined || catalogues.da[key] !== undefined;
}

/** A duration in whole minutes as the catalogue's phrase: 90 → '1 t. 30 min.' (da), '1 h 30 min' (en). */
export function minutesPhrase(catalogues: Catalogues, lang: Language, minutes: number): string {
  const t = (key: string, params?: Record<string, unknown>) => translate(catalogues, lang, key, params);
  return formatMinutes(minutes, { as: 'phrase', t, keys: { hours: 'duration.hours', minutesOnly: 'duration.minutes_only', hoursAndMinutes: 'duration.hours_minutes' } });
}

/** A service level's band in minutes per week: open below (null or 0) and/or above (null). */
export interface BandLimits {
  level: number;
  minMinutesExclusive: number | null;
  maxMinutes: number | null;
}

/** "Niveau 2: over 2 t. op til 3 t./uge" */
export function bandPhrase(catalogues: Catalogues, lang: Language, band: BandLimits): string {
  const min = band.minMinutesExclusive;
  const max = band.maxMinutes;
  const from = min === null || min === 0 ? null : minutesPhrase(catalogues, lang, min);
  const to = max === null ? null : minutesPhrase(catalogues, lang, max);
  const t = (key: string, params: Record<string, unknown>) => translate(catalogues, lang, key, params);
  if (from === null && to === null) return t('band.any', { level: band.level });
  if (from === null) return t('band.up_to', { level: band.level, max: to });
  if (to === null) return t('band.over', { level: band.level, min: from });
  return t('band.between', { level: band.level, min: from, max: to });
}

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const limit = (value: unknown): number | null | undefined => (value === null ? null : isWhole(value) ? value : undefined);

/**
 * How a `{name:format}` placeholder shows its value; undefined leaves the placeholder as it is. Any other
 * format is a catalogue prefix: `{status:invoice_status}` shows the text of `invoice_status.<value>`.
 */
const FORMATS: Record<string, (value: unknown, params: Record<string, unknown>, catalogues: Catalogues, lang: Language) => string | undefined> = {
  /** Whole øre as kroner: 90000 → '900,00 kr.' */
  kroner: (value, _params, _catalogues, lang) => (isWhole(value) ? formatKroner(value, lang) : undefined),
  /** Whole minutes as the catalogue's phrase: 121 → '2 t. 1 min.' */
  minutes: (value, _params, catalogues, lang) => (isWhole(value) ? minutesPhrase(catalogues, lang, value) : undefined),
  /** A service level by its band, from the parameters `min` and `max` beside it. */
  band: (value, params, catalogues, lang) => {
    const min = limit(params.min);
    const max = limit(params.max);
    return isWhole(value) && min !== undefined && max !== undefined ? bandPhrase(catalogues, lang, { level: value, minMinutesExclusive: min, maxMinutes: max }) : undefined;
  },
};

const PLACEHOLDER = /\{(\w+)(?::([\w.]+))?\}/g;
const UNFILLED = /\{\w+(?::[\w.]+)?\}/;

/**
 * The one translator: looks a key up, falling back to Danish and then to the key itself; `{name}` is
 * replaced from params, `{name:format}` through a format (kroner, minutes, band) or a catalogue prefix (a count
 * through the prefix's `.one` and `.other`), and
 * a part in square brackets is shown only when every placeholder in it is filled (`[ (i dag er {today})]`).
 */
export function translate(catalogues: Catalogues, lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const text = catalogues[lang][key] ?? catalogues.da[key] ?? key;
  const fill = (part: string) =>
    part.replace(PLACEHOLDER, (whole, name: string, format: string | undefined) => {
      const value = params[name];
      if (value === undefined) return whole;
      if (format === undefined) return String(value);
      const formatter = FORMATS[format];
      if (formatter) return formatter(value, params, catalogues, lang) ?? whole;
      const named = `${format}.${String(value)}`;
      if (hasText(catalogues, lang, named)) return translate(catalogues, lang, named);
      // A count by its prefix's singular and plural ('{errors:invoices.errors_count}' → '1 fejl', '2 advarsler').
      const counted = `${format}.${value === 1 ? 'one' : 'other'}`;
      return isWhole(value) && hasText(catalogues, lang, counted) ? translate(catalogues, lang, counted, { count: value }) : String(value);
    });
  return fill(
    text.replace(/\[([^[\]]*)\]/g, (_whole, part: string) => {
      const filled = fill(part);
      return UNFILLED.test(filled) ? '' : filled;
    }),
  );
}
