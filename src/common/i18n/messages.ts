import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../web/page-context';

export type Catalogue = Readonly<Record<string, string>>;

/**
 * One message catalogue per language: templates/i18n/<lang>.json, plus one
 * file per area (templates/i18n/<area>.<lang>.json) merged into it.
 */
export function loadCatalogues(templatesDir: string): Record<Language, Catalogue> {
  const dir = join(templatesDir, 'i18n');
  const files = readdirSync(dir).sort();
  const read = (lang: Language): Catalogue =>
    Object.assign({}, ...files.filter((file) => file === `${lang}.json` || file.endsWith(`.${lang}.json`)).map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Catalogue));
  return { da: read('da'), en: read('en') };
}

/** Looks a key up, falling back to Danish and then to the key itself; `{name}` is replaced from params. */
export function translate(catalogues: Record<Language, Catalogue>, lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const text = catalogues[lang][key] ?? catalogues.da[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}
