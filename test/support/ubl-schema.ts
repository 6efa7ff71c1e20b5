import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Validation against the OASIS UBL 2.1 schemas with xmllint (Debian package libxml2-utils). The schemas live
 * beside the project in ../shared/fixtures/ubl-2.1-xsd/ (UBL_XSD_DIR overrides); where they or xmllint are
 * absent, `ublSchemaAvailable` is false and the tests that need them skip.
 */
export const UBL_XSD_DIR = process.env.UBL_XSD_DIR ?? resolve(__dirname, '../../../shared/fixtures/ubl-2.1-xsd');

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const ublSchemaAvailable: boolean = existsSync(join(UBL_XSD_DIR, 'maindoc', 'UBL-Invoice-2.1.xsd')) && hasXmllint();

/** Validates an XML document against a UBL 2.1 main schema ('Invoice', 'CreditNote', 'ApplicationResponse'); the errors, empty when valid. */
export function ublSchemaErrors(xml: string, document: 'Invoice' | 'CreditNote' | 'ApplicationResponse' = 'Invoice'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ubl-xsd-'));
  try {
    const file = join(dir, 'document.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', join(UBL_XSD_DIR, 'maindoc', `UBL-${document}-2.1.xsd`), file], { encoding: 'utf8' });
    return run.status === 0 ? '' : `${run.stderr}${run.stdout}`.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
