/**
 * Formatting for the pages: money is always integer øre, shown Danish-style
 * ('1.234,50 kr.'); dates stay ISO 'YYYY-MM-DD'. Integer arithmetic only.
 */

/** Groups the digits of a non-negative integer string every three digits: '1234567' → '1.234.567'. */
function groupThousands(digits: string, separator = '.'): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** Integer øre → '1.234,50 kr.' (da) or 'DKK 1,234.50' (en); negative amounts get a leading '-'. */
export function formatKroner(ore: number, language: 'da' | 'en' = 'da'): string {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`formatKroner needs a whole number of øre, got ${ore}`);
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const cents = String(abs % 100).padStart(2, '0');
  const kroner = String(Math.floor(abs / 100));
  return language === 'da' ? `${sign}${groupThousands(kroner)},${cents} kr.` : `${sign}DKK ${groupThousands(kroner, ',')}.${cents}`;
}

/** Kroner as typed in a form field ('250', '250,5', '1.250,00' or '1250,00') → øre; null when it is not such a number. */
export function parseKroner(text: string): number | null {
  const hundredths = parseHundredths(text.trim().replace(/^(\d{1,3}(?:\.\d{3})+)(?=,|$)/, (whole) => whole.replace(/\./g, '')));
  return hundredths;
}

/** A decimal with at most two decimals after a comma ('25', '2,5', '12,75') → hundredths as an integer; null otherwise. */
export function parseHundredths(text: string): number | null {
  const match = /^(\d+)(?:,(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '0').padEnd(2, '0'));
  const value = whole * 100 + fraction;
  return Number.isSafeInteger(value) ? value : null;
}

/** Hundredths → '25' or '2,5' style text (for showing e.g. VAT percent or hours). */
export function formatHundredths(value: number): string {
  const whole = Math.floor(Math.abs(value) / 100);
  const fraction = Math.abs(value) % 100;
  const sign = value < 0 ? '-' : '';
  if (fraction === 0) return `${sign}${whole}`;
  return `${sign}${whole},${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}
