import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCatalogues, translate } from '../i18n/messages';
import type { Language } from './page-context';
import Handlebars from 'handlebars';

const escapeAttribute = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The repository root (where package.json is), from src/ under ts-node/jest or dist/src/ when built. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'templates'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the project root (package.json beside templates/)');
    dir = parent;
  }
  return dir;
}

export function templatesDir(): string {
  return join(projectRoot(), 'templates');
}

interface HelperOptions {
  hash: Record<string, unknown>;
  data: { root: { lang?: Language } };
}

/** Handlebars views from templates/, with the `t` (translate) and `concat` helpers. */
export function configureViews(app: NestExpressApplication): void {
  // hbs keeps one Handlebars instance per module load; take it here so helpers land on the one Express uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hbs = require('hbs') as { registerHelper: (name: string, fn: (...args: unknown[]) => unknown) => void; registerPartial: (name: string, template: string) => void };
  const dir = templatesDir();
  const catalogues = loadCatalogues(dir);
  hbs.registerHelper('t', (...args: unknown[]) => {
    const options = args.pop() as HelperOptions;
    const key = String(args[0]);
    return translate(catalogues, options.data.root.lang ?? 'da', key, options.hash);
  });
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  // A form control's error attributes: `{{fieldAttrs fieldErrors "cvr" "s-cvr" hint="s-cvr-hint"}}` marks the
  // control invalid and points it at its message (id "<id>-error", the field-error partial) and its hint.
  hbs.registerHelper('fieldAttrs', (...args: unknown[]) => {
    const options = args.pop() as HelperOptions;
    const [errors, name, id] = args as [Record<string, string[]> | undefined, string, string];
    const invalid = (errors?.[name]?.length ?? 0) > 0;
    const hint = typeof options.hash.hint === 'string' ? options.hash.hint : undefined;
    const described = [invalid ? `${id}-error` : undefined, hint].filter((part) => part !== undefined);
    const attrs = `${invalid ? ' aria-invalid="true"' : ''}${described.length > 0 ? ` aria-describedby="${described.map((part) => escapeAttribute(part)).join(' ')}"` : ''}`;
    return new Handlebars.SafeString(attrs);
  });
  hbs.registerHelper('lookupErrors', (errors: unknown, name: unknown) => (errors as Record<string, string[]> | undefined)?.[String(name)]);
  // Read synchronously: hbs.registerPartials loads the directory asynchronously, so the first page could render before it is done.
  const partials = join(dir, 'partials');
  if (existsSync(partials)) {
    for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) hbs.registerPartial(file.slice(0, -'.hbs'.length), readFileSync(join(partials, file), 'utf8'));
  }
  app.setBaseViewsDir(dir);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  app.useStaticAssets(join(dir, 'static'), { prefix: '/static/', maxAge: '1h' });
}
