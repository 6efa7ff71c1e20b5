/**
 * Orders text by its UTF-16 code units, the same on every machine and locale: for references, ids and keys whose
 * order must be stable (statement lines, refund lines, the caseworkers' list), never for names shown to people.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
