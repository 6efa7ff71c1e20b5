import { ValueTransformer } from 'typeorm';

/**
 * Maps a bigint column of øre to a JavaScript number, refusing any value that
 * is not a safe integer, so money can never silently lose precision.
 */
export const moneyTransformer: ValueTransformer = {
  to(value: number | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    if (!Number.isSafeInteger(value)) throw new RangeError(`Amount in øre must be a safe integer, got ${value}`);
    return String(value);
  },
  from(value: string | null): number | null {
    if (value === null) return null;
    if (!/^-?\d+$/.test(value)) throw new RangeError(`Amount in øre from the database is not an integer: ${value}`);
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new RangeError(`Amount in øre from the database exceeds the safe range: ${value}`);
    return parsed;
  },
};

/** Øre from a bigint column or sum in a raw query's row: the one reader, refusing what is not a safe integer. */
export function readOre(value: string | number): number {
  return moneyTransformer.from(String(value)) as number;
}
