import type { ErrorDetail } from '../common/errors/domain.exception';
import { isValidCprFormat } from './cpr';
import { GrantsErrorCode } from './grants.errors';

/**
 * Personal data in free text that a supplier sees (a grant's goal, tasks and mentor fields, progress reports):
 * CPR numbers as people type them, and the citizen's name. Pure; nothing found is ever echoed back.
 *
 * A CPR number in a text is ten digits DDMMYY SSSS (or a masked DDMMYY-XXXX):
 * - the digits of DD, MM, YY and SSSS may be separated by up to four characters of blanks (any Unicode space,
 *   line breaks, several spaces), '.', '-', '‐'…'―' (hyphens and dashes, en dash included), '−' (minus) or '+';
 *   `010203-1234`, `0102031234`, `010203 1234`, `010203–1234`, `01.02.03-1234`, `010203+1234`, `010203   1234`;
 * - the run is not part of a longer number: no digit directly before DD or after SSSS;
 * - DDMMYY is a real date in the century the 7th digit gives (CPR-kontoret's table, as `isValidCprFormat`);
 *   for a masked number, in any century. The modulus-11 check is not applied (not required since 2007).
 * So `2026004711` (20-26-00: no 26th month) and `1234567890` (no 34th month) are ordinary numbers, while a case
 * number such as `1512004711` is indistinguishable from a CPR number and is refused as one.
 */

/** What a CPR number found in old text is shown as. */
export const CPR_MASK = 'XXXXXX-XXXX';
/** What a word of the citizen's name found in old text is shown as. */
export const NAME_MASK = 'XXXX';

export type PersonalDataRule = 'cpr_in_text' | 'citizen_name_in_text';

const SEPARATOR = '[\\s.\\-\\u2010-\\u2015\\u2212+]{0,4}';
// Starts where a run of digits starts: a CPR number inside a longer number is not one.
const CPR_CANDIDATE = `(?<!\\d)(\\d{2})${SEPARATOR}(\\d{2})${SEPARATOR}(\\d{2})${SEPARATOR}(\\d{4}|[xX]{4})(?!\\d)`;
// A text with fewer than six digits cannot hold one (a cheap first look for the lists of grants).
const SIX_DIGITS = /(?:\d\D*){6}/;

interface Span {
  start: number;
  end: number;
}

function isCprDate(dd: string, mm: string, yy: string, serial: string): boolean {
  // Most ten-digit numbers in a text (case numbers, years first) fail here, before the full check.
  const day = Number(dd);
  const month = Number(mm);
  if (day < 1 || day > 31 || month < 1 || month > 12) return false;
  if (/^\d{4}$/.test(serial)) return isValidCprFormat(`${dd}${mm}${yy}${serial}`);
  // Masked: the century is unknown, so 29 February of a year 00 counts (2000 was a leap year, 1900 was not).
  return isValidCprFormat(`${dd}${mm}${yy}0000`) || isValidCprFormat(`${dd}${mm}${yy}4000`);
}

/** Where the CPR numbers of a text are, in order, not overlapping. */
export function findCprNumbers(text: string): Span[] {
  const spans: Span[] = [];
  if (!SIX_DIGITS.test(text)) return spans;
  const candidates = new RegExp(CPR_CANDIDATE, 'g');
  for (let match = candidates.exec(text); match !== null; match = candidates.exec(text)) {
    if (isCprDate(match[1], match[2], match[3], match[4])) spans.push({ start: match.index, end: match.index + match[0].length });
    // Not a date: a number starting further on may still be one (`20 26 010203 1234`).
    else candidates.lastIndex = match.index + 1;
  }
  return spans;
}

export function containsCprNumber(text: string): boolean {
  return findCprNumbers(text).length > 0;
}

/** The text with every CPR number replaced by `XXXXXX-XXXX`: for texts stored before the check at input. */
export function maskCprNumbers(text: string): string {
  const spans = findCprNumbers(text);
  if (spans.length === 0) return text;
  let masked = '';
  let from = 0;
  for (const span of spans) {
    masked += text.slice(from, span.start) + CPR_MASK;
    from = span.end;
  }
  return masked + text.slice(from);
}

/** The words of a name that identify the person: the first and the last (`K.` and `Hansen` of `K. Hansen`); one when the name has one. */
function nameWords(name: string): string[] {
  const words = allNameWords(name);
  if (words.length <= 1) return words;
  return [words[0], words[words.length - 1]];
}

function allNameWords(name: string): string[] {
  return name.normalize('NFC').trim().split(/\s+/).filter((word) => word !== '');
}

function wordPattern(word: string, flags: string): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escaped}(?![\\p{L}\\p{M}\\p{N}])`, flags);
}

// A list of grants asks about the same few names for every text: their patterns are made once.
const NAME_PATTERNS = new Map<string, RegExp[]>();
const NAME_PATTERNS_KEPT = 1_000;

function namePatterns(name: string): RegExp[] {
  let patterns = NAME_PATTERNS.get(name);
  if (patterns === undefined) {
    if (NAME_PATTERNS.size >= NAME_PATTERNS_KEPT) NAME_PATTERNS.clear();
    patterns = nameWords(name).map((word) => wordPattern(word, 'iu'));
    NAME_PATTERNS.set(name, patterns);
  }
  return patterns;
}

/**
 * Whether a text names the citizen: it holds the first and the last word of the name (see nameWords), each as a
 * whole word, in any order and anywhere, ignoring case. The first name alone (`Søren skal …`) is not the name.
 */
export function mentionsName(text: string, name: string): boolean {
  const patterns = namePatterns(name);
  if (patterns.length === 0) return false;
  const normalized = text.normalize('NFC');
  return patterns.every((pattern) => pattern.test(normalized));
}

/** The text with every word of the name (middle names too) replaced by `XXXX` where it names the citizen; else as it is. */
export function maskName(text: string, name: string): string {
  if (!mentionsName(text, name)) return text;
  return allNameWords(name).reduce((masked, word) => masked.replace(wordPattern(word, 'giu'), NAME_MASK), text.normalize('NFC'));
}

/** The fields to check, by name; an absent field is skipped. */
export type FreeTexts = Record<string, string | null | undefined>;

/**
 * The problems of the free texts a supplier sees: no CPR number in any of them, and none names the citizen
 * (`citizenName`; `null` checks CPR numbers only). One detail per field and rule, in the order of the fields.
 */
export function checkSupplierVisibleTexts(texts: FreeTexts, citizenName: string | null): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [field, text] of Object.entries(texts)) {
    if (typeof text !== 'string') continue;
    if (containsCprNumber(text)) {
      problems.push({ field, rule: GrantsErrorCode.CprInText, message: `${field} may not hold a CPR number: the supplier sees this text` });
    }
    if (citizenName !== null && mentionsName(text, citizenName)) {
      problems.push({ field, rule: GrantsErrorCode.CitizenNameInText, message: `${field} may not hold the citizen’s name: the supplier sees this text` });
    }
  }
  return problems;
}
