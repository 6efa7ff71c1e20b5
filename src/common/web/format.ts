/**
 * Formatting for the pages: money is always integer øre, shown Danish-style
 * ('1.234,50 kr.'); dates stay ISO 'YYYY-MM-DD'. Integer arithmetic only.
 */

/** Groups the digits of a non-negative integer string every three digits: '1234567' → '1.234.567'. */
function groupThousands(digits: string, separator = '.'): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * How an amount is shown: 'amount' is '1.234,50 kr.' / 'DKK 1,234.50'; 'whole' rounds half up to whole kroner
 * without decimals ('1.250.000 kr.' / 'DKK 1,250,000', for chart axes and report totals); 'field' is kroner as
 * typed into a form field ('1250', '1250,05'), without grouping or unit, the same in both languages.
 */
export type KronerStyle = 'amount' | 'whole' | 'field';

/** Integer øre → kroner text in the given style; negative amounts get a leading '-'. The one kroner formatter. */
export function formatKroner(ore: number, language: 'da' | 'en' = 'da', style: KronerStyle = 'amount'): string {
  // Every amount shown comes from the rules or a store as whole øre: a fraction here is a bug, not input.
  if (!Number.isSafeInteger(ore)) throw new Error(`formatKroner needs a whole number of øre, got ${ore}`);
  const abs = Math.abs(ore);
  if (style === 'whole') {
    const kroner = Math.floor((abs + 50) / 100);
    // An amount that rounds to 0 kroner shows no sign.
    const sign = ore < 0 && kroner > 0 ? '-' : '';
    const text = String(kroner);
    return language === 'da' ? `${sign}${groupThousands(text)} kr.` : `${sign}DKK ${groupThousands(text, ',')}`;
  }
  const sign = ore < 0 ? '-' : '';
  const cents = String(abs % 100).padStart(2, '0');
  const kroner = String(Math.floor(abs / 100));
  if (style === 'field') return `${sign}${kroner}${abs % 100 === 0 ? '' : `,${cents}`}`;
  return language === 'da' ? `${sign}${groupThousands(kroner)},${cents} kr.` : `${sign}DKK ${groupThousands(kroner, ',')}.${cents}`;
}

/** The catalogue keys a 'phrase' takes: whole hours, minutes under an hour, and both ({h}, {m}). */
export interface MinutesPhraseKeys {
  hours: string;
  minutesOnly: string;
  hoursAndMinutes: string;
}

/**
 * How a duration in whole minutes is shown:
 * - 'hours': decimal hours, at most two decimals rounded half up in integer arithmetic (90 → '1,5', 20 → '0,33'),
 *   thousands grouped unless `grouping: false` (form fields);
 * - 'clock': 'H:MM' (135 → '2:15'), as on statements;
 * - 'count': the minutes themselves, thousands grouped (12345 → '12.345');
 * - 'words': Danish words for documents (90 → '1 time 30 minutter');
 * - 'phrase': the catalogue's phrase through `t` (90 → '1 t. 30 min.').
 */
export type MinutesStyle =
  | { as: 'hours'; language: 'da' | 'en'; grouping?: boolean }
  | { as: 'clock' }
  | { as: 'count'; language: 'da' | 'en' }
  | { as: 'words' }
  | { as: 'phrase'; t: (key: string, params?: Record<string, unknown>) => string; keys: MinutesPhraseKeys };

/** Whole minutes → text in the given style; negative durations get a leading '-' (hours, clock, count). The one minutes formatter. */
export function formatMinutes(minutes: number, style: MinutesStyle): string {
  const sign = minutes < 0 ? '-' : '';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  const rest = abs % 60;
  switch (style.as) {
    case 'hours': {
      const hundredths = Math.floor((abs * 100 * 2 + 60) / 120);
      const whole = String(Math.floor(hundredths / 100));
      const fraction = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
      const da = style.language === 'da';
      const grouped = style.grouping === false ? whole : groupThousands(whole, da ? '.' : ',');
      return `${sign}${grouped}${fraction ? (da ? ',' : '.') + fraction : ''}`;
    }
    case 'clock':
      return `${sign}${hours}:${String(rest).padStart(2, '0')}`;
    case 'count':
      return sign + groupThousands(String(abs), style.language === 'da' ? '.' : ',');
    case 'words': {
      const parts = [hours > 0 ? `${hours} ${hours === 1 ? 'time' : 'timer'}` : '', rest > 0 ? `${rest} ${rest === 1 ? 'minut' : 'minutter'}` : ''];
      return parts.filter(Boolean).join(' ');
    }
    case 'phrase':
      if (rest === 0) return style.t(style.keys.hours, { h: hours });
      if (hours === 0) return style.t(style.keys.minutesOnly, { m: rest });
      return style.t(style.keys.hoursAndMinutes, { h: hours, m: rest });
  }
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
