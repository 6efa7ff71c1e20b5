import { matchCredits, type CreditCandidate } from './credit-note.rules';

const candidate = (over: Partial<CreditCandidate> = {}): CreditCandidate => ({
  deliveryId: 'd1',
  grantReference: 'MS-2026-000001',
  date: '2026-10-05',
  minutes: 60,
  invoiceNumber: 'F-1',
  creditableOre: 45_000,
  ...over,
});

const line = { index: 1, grantReference: 'MS-2026-000001', date: '2026-10-05', minutes: 60, amountOre: 45_000 };

describe('matchCredits', () => {
  it('reverses the matching delivery with a negative approvable amount', () => {
    expect(matchCredits([line], [candidate()], [])).toEqual([{ index: 1, deliveryId: 'd1', approvableOre: -45_000, findings: [] }]);
  });

  it('never credits more than the delivery was approved for', () => {
    expect(matchCredits([line], [candidate({ creditableOre: 22_500 })], [])[0].approvableOre).toBe(-22_500);
  });

  it('prefers a delivery on an invoice the credit note refers to, and reverses each delivery once', () => {
    const result = matchCredits([line, { ...line, index: 2 }, { ...line, index: 3 }], [candidate({ deliveryId: 'd1', invoiceNumber: 'F-1' }), candidate({ deliveryId: 'd2', invoiceNumber: 'F-2' })], ['F-2']);
    expect(result.map((r) => r.deliveryId)).toEqual(['d2', 'd1', null]);
    expect(result[2].findings[0]).toMatchObject({ code: 'credit_unmatched', severity: 'error', field: 'lines[3]', approvableOre: 0, values: { grantReference: 'MS-2026-000001', date: '2026-10-05', minutes: 60 } });
  });

  it('matches on grant, date and minutes exactly', () => {
    expect(matchCredits([{ ...line, minutes: 45 }], [candidate()], [])[0].deliveryId).toBeNull();
    expect(matchCredits([{ ...line, date: '2026-10-06' }], [candidate()], [])[0].deliveryId).toBeNull();
  });
});
