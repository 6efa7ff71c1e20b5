import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../web/page-context';

export type Catalogue = Readonly<Record<string, string>>;

/** One message catalogue per language, in templates/i18n/<lang>.json. */
export function loadCatalogues(templatesDir: string): Record<Language, Catalogue> {
  const read = (lang: Language) => JSON.parse(readFileSync(join(templatesDir, 'i18n', `${lang}.json`), 'utf8')) as Catalogue;
  return { da: read('da'), en: read('en') };
}

/** Looks a key up, falling back to Danish and then to the key itself; `{name}` is replaced from params. */
export function translate(catalogues: Record<Language, Catalogue>, lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const text = catalogues[lang][key] ?? catalogues.da[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}
