/** Whole percent of a framework agreement's ceiling used (approved + pending), rounded down, in integers. */
export function ceilingUsePercent(ceilingOre: number | null, consumedOre: number): number | null {
  if (ceilingOre === null || ceilingOre <= 0) return null;
  return Number((BigInt(consumedOre) * 100n) / BigInt(ceilingOre));
}

export type CeilingLevel = 'ok' | 'warn' | 'alert';

/** Against the rule set's warning marks (e.g. 80 and 90 %): ok below the first, alert from the last, warn between. */
export function ceilingLevel(percent: number, warningPercents: readonly number[]): CeilingLevel {
  if (warningPercents.length === 0) return 'ok';
  const first = Math.min(...warningPercents);
  const last = Math.max(...warningPercents);
  return percent >= last ? 'alert' : percent >= first ? 'warn' : 'ok';
}
