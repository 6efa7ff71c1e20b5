import { ceilingLevel, ceilingMarksReached, ceilingUsePercent, ceilingUsePermille } from './ceiling.rules';

describe('ceilingUsePercent', () => {
  it('rounds down in integers', () => {
    expect(ceilingUsePercent(30_000_000, 24_999_999)).toBe(83);
    expect(ceilingUsePercent(100, 79)).toBe(79);
    expect(ceilingUsePercent(3, 1)).toBe(33);
    expect(ceilingUsePercent(1_000_000, 1_100_000)).toBe(110);
  });
  it('has no percent without a ceiling', () => {
    expect(ceilingUsePercent(null, 5)).toBeNull();
    expect(ceilingUsePercent(0, 5)).toBeNull();
  });
});

describe('ceilingLevel', () => {
  it.each([
    [79, 'ok'],
    [80, 'warn'],
    [89, 'warn'],
    [90, 'alert'],
    [110, 'alert'],
  ] as const)('%i %% of the ceiling against marks 80/90 is %s', (percent, level) => {
    expect(ceilingLevel(percent, [80, 90])).toBe(level);
  });
  it('follows the rule set’s marks, whatever their order', () => {
    expect(ceilingLevel(75, [95, 75])).toBe('warn');
    expect(ceilingLevel(75, [])).toBe('ok');
  });
});

describe('ceilingMarksReached', () => {
  it('names the marks passed on the way up, 100 % included, and none on the way down', () => {
    expect(ceilingMarksReached(100_000_00, 79_999_99, 80_000_00, [80, 90])).toEqual([80]);
    expect(ceilingMarksReached(100_000_00, 50_000_00, 100_000_00, [80, 90])).toEqual([80, 90, 100]);
    expect(ceilingMarksReached(100_000_00, 80_000_00, 89_999_99, [80, 90])).toEqual([]);
    expect(ceilingMarksReached(100_000_00, 95_000_00, 50_000_00, [80, 90])).toEqual([]);
    expect(ceilingMarksReached(null, 0, 100, [80, 90])).toEqual([]);
  });
});

describe('ceilingUsePermille', () => {
  it('gives tenths of a percent, rounded down, so a small use shows', () => {
    expect(ceilingUsePermille(30_000_000, 100_000)).toBe(3);
    expect(ceilingUsePermille(30_000_000, 24_999_999)).toBe(833);
    expect(ceilingUsePermille(100, 100)).toBe(1000);
    expect(ceilingUsePermille(null, 5)).toBeNull();
  });
});
