import { consumedOre, ledgerDifferences, movesBalance, type CeilingBalance } from './ceiling-ledger.rules';

const balances = (entries: Array<[string, number, number]>): Map<string, CeilingBalance> => new Map(entries.map(([id, pendingOre, approvedOre]) => [id, { pendingOre, approvedOre }]));

describe('ledgerDifferences', () => {
  it('reports nothing when every agreement agrees to the øre', () => {
    expect(ledgerDifferences(balances([['A', 45_000, 90_000], ['B', 0, 12_345]]), balances([['B', 0, 12_345], ['A', 45_000, 90_000]]))).toEqual([]);
  });

  it('reports the difference as ledger minus deliveries, in both directions, without clamping', () => {
    expect(ledgerDifferences(balances([['A', 45_000, 90_000]]), balances([['A', 46_000, 88_766]]))).toEqual([
      { agreementId: 'A', ledger: { pendingOre: 45_000, approvedOre: 90_000 }, deliveries: { pendingOre: 46_000, approvedOre: 88_766 }, pendingDifferenceOre: -1_000, approvedDifferenceOre: 1_234 },
    ]);
  });

  it('counts an agreement missing on one side as zero there, and sorts by agreement', () => {
    expect(ledgerDifferences(balances([['C', 0, 500]]), balances([['A', 100, 0]]))).toEqual([
      { agreementId: 'A', ledger: { pendingOre: 0, approvedOre: 0 }, deliveries: { pendingOre: 100, approvedOre: 0 }, pendingDifferenceOre: -100, approvedDifferenceOre: 0 },
      { agreementId: 'C', ledger: { pendingOre: 0, approvedOre: 500 }, deliveries: { pendingOre: 0, approvedOre: 0 }, pendingDifferenceOre: 0, approvedDifferenceOre: 500 },
    ]);
  });

  it('sees a negative balance as the difference it is', () => {
    expect(ledgerDifferences(balances([['A', -250, 0]]), balances([]))).toEqual([
      { agreementId: 'A', ledger: { pendingOre: -250, approvedOre: 0 }, deliveries: { pendingOre: 0, approvedOre: 0 }, pendingDifferenceOre: -250, approvedDifferenceOre: 0 },
    ]);
  });
});

describe('consumedOre and movesBalance', () => {
  it('adds pending and approved', () => {
    expect(consumedOre({ pendingOre: 250_000, approvedOre: 600_000 })).toBe(850_000);
  });
  it('skips an entry that moves nothing', () => {
    expect(movesBalance({ pendingDeltaOre: 0, approvedDeltaOre: 0 })).toBe(false);
    expect(movesBalance({ pendingDeltaOre: -45_000, approvedDeltaOre: 0 })).toBe(true);
    expect(movesBalance({ pendingDeltaOre: 0, approvedDeltaOre: -1 })).toBe(true);
  });
});
