import { ValueTransformer } from 'typeorm';
import { CommonErrorCode } from '../errors/common.errors';
import { RuleError } from '../errors/rule-error';

/**
 * Maps a bigint column of øre to a JavaScript number, refusing any value that
 * is not a safe integer, so money can never silently lose precision.
 */
export const moneyTransformer: ValueTransformer = {
  to(value: number | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    // Amounts are whole øre checked (sumExact, the DTOs' limits) before they are written: anything else here is a bug.
    if (!Number.isSafeInteger(value)) throw new Error(`Amount in øre must be a safe integer, got ${value}`);
    return String(value);
  },
  from(value: string | null): number | null {
    if (value === null) return null;
    // A bigint column or an integer sum is always digits: anything else is a query that reads the wrong column.
    if (!/^-?\d+$/.test(value)) throw new Error(`Amount in øre from the database is not an integer: ${value}`);
    const parsed = Number(value);
    // A sum over amounts users entered can outgrow what a number holds exactly; refused, never rounded.
    if (!Number.isSafeInteger(parsed)) throw new RuleError(CommonErrorCode.BeyondSafeRange, `Amount in øre from the database exceeds the safe range: ${value}`, { values: { value } });
    return parsed;
  },
};

/** Øre from a bigint column or sum in a raw query's row: the one reader, refusing what is not a safe integer. */
export function readOre(value: string | number): number {
  return moneyTransformer.from(String(value)) as number;
}
