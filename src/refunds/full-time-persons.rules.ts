import type { ErrorDetail } from '../common/errors/domain.exception';
import { CommonErrorCode } from '../common/errors/common.errors';
import { RefundsErrorCode } from './refunds.errors';

/**
 * Full-time persons (helårspersoner) in the budget guarantee's target group, and the 2026 limit on the
 * municipality's expenses for guidance, upskilling and mentor support (LAB § 203 a). Pure.
 */

/** '1234,56' or '1234.56' (at most two decimals) as hundredths, or null when it is no such number. */
export function parseFullTimePersons(text: string): number | null {
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** The year's limit in øre: full-time persons × the figure per person, rounded half up to whole øre. */
export function budgetGuaranteeLimitOre(hundredths: number, orePerFullTimePerson: number): number {
  const product = BigInt(hundredths) * BigInt(orePerFullTimePerson);
  return Number((product * 2n + 100n) / 200n);
}

/** `year;full_time_persons` per line (a header line allowed); every bad row named, so nothing of a bad file is applied. */
export function parseFullTimePersonsCsv(text: string): { rows: Array<{ year: number; hundredths: number }>; problems: ErrorDetail[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((line) => line.trim());
  const rows: Array<{ year: number; hundredths: number }> = [];
  const problems: ErrorDetail[] = [];
  lines.forEach((line, i) => {
    if (line === '' || (i === 0 && /^[a-zæøå]/i.test(line))) return;
    const at = `row ${i + 1}`;
    const [yearText = '', personsText = '', ...rest] = line.split(';');
    const year = /^\d{4}$/.test(yearText.trim()) ? Number(yearText.trim()) : null;
    const hundredths = parseFullTimePersons(personsText);
    if (rest.length > 0 || year === null || year < 2000 || year > 2100) {
      problems.push({ field: `${at}.year`, rule: RefundsErrorCode.YearRange, message: `${at}: the year must be from 2000 to 2100 in the first of two columns, got '${line}'`, values: { row: i + 1 } });
    } else if (hundredths === null) {
      problems.push({ field: `${at}.fullTimePersons`, rule: CommonErrorCode.Type, message: `${at}: full-time persons must be a number with at most two decimals, got '${personsText}'`, values: { row: i + 1 } });
    } else if (rows.some((row) => row.year === year)) {
      problems.push({ field: `${at}.year`, rule: CommonErrorCode.Unique, message: `${at}: the year ${year} appears more than once`, values: { row: i + 1 } });
    } else {
      rows.push({ year, hundredths });
    }
  });
  if (rows.length === 0 && problems.length === 0) problems.push({ field: 'file', rule: CommonErrorCode.Required, message: 'the file holds no rows' });
  return { rows, problems };
}
