/** Whole percent of a framework agreement's ceiling used (approved + pending), rounded down, in integers. */
export function ceilingUsePercent(ceilingOre: number | null, consumedOre: number): number | null {
  if (ceilingOre === null || ceilingOre <= 0) return null;
  return Number((BigInt(consumedOre) * 100n) / BigInt(ceilingOre));
}

/**
 * Ceiling use in tenths of a percent, rounded down (3 = 0,3 %): what the pages show, so a small use is not "0 %".
 * The marks are compared with the whole percent above.
 */
export function ceilingUsePermille(ceilingOre: number | null, consumedOre: number): number | null {
  if (ceilingOre === null || ceilingOre <= 0) return null;
  return Number((BigInt(consumedOre) * 1000n) / BigInt(ceilingOre));
}

export type CeilingLevel = 'ok' | 'warn' | 'alert';

/** Against the rule set's warning marks (e.g. 80 and 90 %): ok below the first, alert from the last, warn between. */
export function ceilingLevel(percent: number, warningPercents: readonly number[]): CeilingLevel {
  if (warningPercents.length === 0) return 'ok';
  const first = Math.min(...warningPercents);
  const last = Math.max(...warningPercents);
  return percent >= last ? 'alert' : percent >= first ? 'warn' : 'ok';
}

/**
 * The marks (the rule set's warning percents and 100 %) that a framework agreement's ceiling use passed on its
 * way up from `beforeOre` to `afterOre`, lowest first; none on the way down.
 */
export function ceilingMarksReached(ceilingOre: number | null, beforeOre: number, afterOre: number, warningPercents: readonly number[]): number[] {
  const before = ceilingUsePercent(ceilingOre, beforeOre);
  const after = ceilingUsePercent(ceilingOre, afterOre);
  if (before === null || after === null) return [];
  return [...new Set([...warningPercents, 100])].sort((a, b) => a - b).filter((mark) => before < mark && after >= mark);
}
