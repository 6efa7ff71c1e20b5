import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { billingRunTransitionProblem } from './billing/billing-run.rules';
import { statementTransitionProblem } from './billing/statement.rules';
import { grantTransitionProblem } from './grants/grant.rules';
import { deliveryTransitionProblem, invoiceTransitionProblem } from './invoices/invoice-lifecycle.rules';
import { refundClaimTransitionProblem } from './refunds/refund.rules';
import { loadCatalogues } from './common/i18n/messages';
import { ANSWER_ERROR_CODES, DETAIL_ERROR_CODES, ERROR_CATALOGUES, errorCodesOf, type ErrorCatalogueName } from './error-codes';

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

// Where source code writes a code as a literal: a detail's rule, a validator's name, the parsers' helpers, a *_RULE constant.
const CODE_LITERALS = [/\brule: *['"](\w+)['"]/g, /ValidateBy\(\s*\{\s*name: *['"](\w+)['"]/g, /\browError\(errors, \w+, [^,]+, '(\w+)'/g, /\b(?:add|fail)\('[\w.]+', '(\w+)'/g, /_RULE = '(\w+)'/g];

describe('the error catalogues', () => {
  const known = new Set(DETAIL_ERROR_CODES);

  it('hold each code once, in one catalogue, in snake case or as class-validator names it', () => {
    expect(new Set(DETAIL_ERROR_CODES).size).toBe(DETAIL_ERROR_CODES.length);
    expect(DETAIL_ERROR_CODES.filter((code) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(code) && !errorCodesOf('common').includes(code))).toEqual([]);
    expect(ANSWER_ERROR_CODES.filter((code) => known.has(code))).toEqual([]);
    for (const name of Object.keys(ERROR_CATALOGUES) as ErrorCatalogueName[]) expect(errorCodesOf(name).length).toBeGreaterThan(0);
  });

  it('name every code that source code writes as a literal', () => {
    const unknown: string[] = [];
    let seen = 0;
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of CODE_LITERALS) {
        for (const match of text.matchAll(pattern)) {
          seen += 1;
          if (!known.has(match[1])) unknown.push(`${relative(SRC, file)}: ${match[1]}`);
        }
      }
    }
    expect(unknown).toEqual([]);
    // The patterns still find the literals that remain (the parsers'), so the test cannot pass by finding nothing.
    expect(seen).toBeGreaterThan(20);
  });

  it('name every rule a transition table refuses with', () => {
    const problems = [
      grantTransitionProblem('ended', 'active', 'caseworker'),
      grantTransitionProblem('active', 'ended', 'supplier'),
      invoiceTransitionProblem('rejected', 'approved', 'finance'),
      invoiceTransitionProblem('validated', 'approved', 'supplier'),
      deliveryTransitionProblem('rejected', 'approved', 'finance'),
      deliveryTransitionProblem('pending', 'approved', 'supplier'),
      statementTransitionProblem('final', 'draft', 'finance'),
      statementTransitionProblem('draft', 'final', 'supplier'),
      billingRunTransitionProblem('completed', 'running', 'system'),
      billingRunTransitionProblem('queued', 'running', 'finance'),
      refundClaimTransitionProblem('submitted', 'draft', 'system'),
      refundClaimTransitionProblem('computing', 'draft', 'finance'),
    ];
    expect(problems.map((problem) => problem?.rule).filter((rule) => rule === undefined || !known.has(rule))).toEqual([]);
  });

  it('name every constraint of the validation pipe', async () => {
    const files = sourceFiles(SRC).filter((file) => readFileSync(file, 'utf8').includes("from 'class-validator'"));
    for (const file of files) await import(file);
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<object, ValidationMetadata[]> };
    const names = new Set<string>();
    for (const metadatas of storage.validationMetadatas.values()) {
      for (const metadata of metadatas) {
        if (metadata.type === 'customValidation') for (const constraint of getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls)) names.add(constraint.name);
        else if (metadata.type === 'nestedValidation') names.add('nestedValidation');
      }
    }
    expect(names.size).toBeGreaterThan(10);
    expect([...names].filter((name) => !known.has(name)).sort()).toEqual([]);
  });
});

describe('the texts of the error codes', () => {
  const catalogues = loadCatalogues(join(SRC, '../templates'));
  const codes = [...ANSWER_ERROR_CODES, ...DETAIL_ERROR_CODES];
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?::[\w.]+)?\}/g)].map((match) => match[0]).sort();

  it('give every code of every catalogue a text in Danish and in English', () => {
    for (const lang of ['da', 'en'] as const) {
      expect({ lang, missing: codes.filter((code) => !catalogues[lang][`error.${code}`]?.trim()) }).toEqual({ lang, missing: [] });
    }
  });

  it('fill the same values, formatted alike, in both languages', () => {
    const differing = codes.filter((code) => JSON.stringify(placeholders(catalogues.da[`error.${code}`])) !== JSON.stringify(placeholders(catalogues.en[`error.${code}`])));
    expect(differing).toEqual([]);
  });

  it('hold no text for a code no catalogue has', () => {
    const known = new Set(codes.map((code) => `error.${code}`));
    // The error page's link back is page text under the same prefix, not a code.
    const stale = Object.keys(catalogues.da).filter((key) => key.startsWith('error.') && !known.has(key) && key !== 'error.back');
    expect(stale).toEqual([]);
  });
});
