import { checkNewRate, Rate, rateInForce, withDefaultRate } from './rate-card.rules';

function rate(patch: Partial<Rate> = {}): Rate {
  return { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', validTo: null, rateOre: 25_000, ...patch };
}

describe('checkNewRate', () => {
  it('accepts 250 kr./hour on an empty card, with or without a price cap', () => {
    expect(checkNewRate([], rate(), null)).toEqual([]);
    expect(checkNewRate([], rate(), 25_000)).toEqual([]);
  });

  it('refuses a rate above the price cap by one øre', () => {
    expect(checkNewRate([], rate({ rateOre: 27_501 }), 27_500)).toEqual([
      {
        field: 'rateOre',
        rule: 'rate_above_cap',
        message: 'the rate 275.01 kr. per hour is above the price cap of 275.00 kr. per hour',
        values: { rateOre: 27_501, priceCapOre: 27_500 },
      },
    ]);
  });

  it.each([0, -25_000, 250.5, Number.MAX_SAFE_INTEGER + 1])('refuses %p øre as a rate', (rateOre) => {
    expect(checkNewRate([], rate({ rateOre }), null)).toEqual([
      { field: 'rateOre', rule: 'rate_positive', message: `the rate must be a whole number of øre above 0, got ${rateOre}`, values: { rateOre } },
    ]);
  });

  it('accepts a one-day rate and refuses one ending before it starts', () => {
    expect(checkNewRate([], rate({ validFrom: '2026-03-01', validTo: '2026-03-01' }), null)).toEqual([]);
    expect(checkNewRate([], rate({ validFrom: '2026-03-01', validTo: '2026-02-28' }), null)).toEqual([
      {
        field: 'validTo',
        rule: 'period_order',
        message: 'the rate ends on 2026-02-28, before it starts on 2026-03-01',
        values: { validFrom: '2026-03-01', validTo: '2026-02-28' },
      },
    ]);
  });

  it('refuses malformed dates', () => {
    expect(checkNewRate([], rate({ validFrom: '2026-02-29', validTo: '31-12-2026' }), null)).toEqual([
      { field: 'validFrom', rule: 'calendar_date', message: "validFrom must be a date YYYY-MM-DD, got '2026-02-29'" },
      { field: 'validTo', rule: 'calendar_date', message: "validTo must be a date YYYY-MM-DD or empty, got '31-12-2026'" },
    ]);
  });

  describe('overlap', () => {
    const closed2026 = rate({ validFrom: '2026-01-01', validTo: '2026-12-31', rateOre: 25_000 });
    const openFrom2026 = rate({ validFrom: '2026-01-01', validTo: null, rateOre: 25_000 });

    it('accepts a price regulation from the day after the old rate ends', () => {
      expect(checkNewRate([closed2026], rate({ validFrom: '2027-01-01', rateOre: 25_750 }), null)).toEqual([]);
    });

    it('refuses a regulation starting on the old rate’s last day', () => {
      expect(checkNewRate([closed2026], rate({ validFrom: '2026-12-31', rateOre: 25_750 }), null)).toEqual([
        {
          field: 'validFrom',
          rule: 'rate_overlap',
          message:
            'mentor type retention, level 1 already has the rate 250.00 kr. from 2026-01-01 to 2026-12-31, which overlaps from 2026-12-31 with no end; end that rate on 2026-12-30 first',
          values: { existingValidFrom: '2026-01-01', existingValidTo: '2026-12-31', existingRateOre: 25_000 },
        },
      ]);
    });

    it('refuses a later rate while the old one is open-ended, and says how to close it', () => {
      const details = checkNewRate([openFrom2026], rate({ validFrom: '2027-01-01', rateOre: 25_750 }), null);
      expect(details.map((d) => d.message)).toEqual([
        'mentor type retention, level 1 already has the rate 250.00 kr. from 2026-01-01 with no end, which overlaps from 2027-01-01 with no end; end that rate on 2026-12-31 first',
      ]);
      expect(details[0].values).toEqual({ existingValidFrom: '2026-01-01', existingValidTo: null, existingRateOre: 25_000 });
    });

    it('refuses an open-ended rate that reaches into a later one, without a hint', () => {
      const later = rate({ validFrom: '2027-01-01', validTo: '2027-12-31', rateOre: 26_000 });
      expect(checkNewRate([later], rate({ validFrom: '2026-01-01', validTo: null }), null)).toEqual([
        {
          field: 'validFrom',
          rule: 'rate_overlap',
          message: 'mentor type retention, level 1 already has the rate 260.00 kr. from 2027-01-01 to 2027-12-31, which overlaps from 2026-01-01 with no end',
          values: { existingValidFrom: '2027-01-01', existingValidTo: '2027-12-31', existingRateOre: 26_000 },
        },
      ]);
      expect(checkNewRate([later], rate({ validFrom: '2026-01-01', validTo: '2026-12-31' }), null)).toEqual([]);
      expect(checkNewRate([later], rate({ validFrom: '2026-01-01', validTo: '2027-01-01' }), null).map((d) => d.rule)).toEqual(['rate_overlap']);
    });

    it('refuses a rate inside an older one and lists every overlapped rate', () => {
      const first = rate({ validFrom: '2026-01-01', validTo: '2026-06-30' });
      const second = rate({ validFrom: '2026-07-01', validTo: '2026-12-31', rateOre: 25_500 });
      const details = checkNewRate([first, second], rate({ validFrom: '2026-06-01', validTo: '2026-07-31' }), null);
      expect(details.map((d) => d.values)).toEqual([
        { existingValidFrom: '2026-01-01', existingValidTo: '2026-06-30', existingRateOre: 25_000 },
        { existingValidFrom: '2026-07-01', existingValidTo: '2026-12-31', existingRateOre: 25_500 },
      ]);
    });

    it('ignores other mentor types and levels', () => {
      expect(checkNewRate([openFrom2026], rate({ serviceLevel: 2, rateOre: 30_000 }), null)).toEqual([]);
      expect(checkNewRate([openFrom2026], rate({ mentorType: 'company' }), null)).toEqual([]);
    });

    it('reports the cap and the overlap together', () => {
      expect(checkNewRate([openFrom2026], rate({ rateOre: 30_000 }), 27_500).map((d) => d.rule)).toEqual(['rate_above_cap', 'rate_overlap']);
    });
  });
});

describe('rateInForce', () => {
  const card: Rate[] = [
    rate({ validFrom: '2026-01-01', validTo: '2026-12-31', rateOre: 25_000 }),
    rate({ validFrom: '2027-01-01', validTo: null, rateOre: 25_750 }),
    rate({ serviceLevel: 2, validFrom: '2026-01-01', validTo: null, rateOre: 30_000 }),
    rate({ mentorType: 'company', validFrom: '2026-01-01', validTo: null, rateOre: 25_000 }),
  ];

  it('finds the rate valid on the date, both ends included', () => {
    expect(rateInForce(card, 'retention', 1, '2026-01-01')?.rateOre).toBe(25_000);
    expect(rateInForce(card, 'retention', 1, '2026-12-31')?.rateOre).toBe(25_000);
    expect(rateInForce(card, 'retention', 1, '2027-01-01')?.rateOre).toBe(25_750);
    expect(rateInForce(card, 'retention', 1, '2035-06-15')?.rateOre).toBe(25_750);
    expect(rateInForce(card, 'retention', 2, '2026-06-15')?.rateOre).toBe(30_000);
  });

  it('is null before the first rate and for a slot without a rate', () => {
    expect(rateInForce(card, 'retention', 1, '2025-12-31')).toBeNull();
    expect(rateInForce(card, 'retention', 3, '2026-06-15')).toBeNull();
    expect(rateInForce(card, 'holistic', 1, '2026-06-15')).toBeNull();
    expect(rateInForce([], 'retention', 1, '2026-06-15')).toBeNull();
  });

  it('prefers the latest start if a card holds overlapping rates', () => {
    const overlapping = [rate({ validFrom: '2026-01-01', rateOre: 25_000 }), rate({ validFrom: '2026-07-01', rateOre: 26_000 })];
    expect(rateInForce(overlapping, 'retention', 1, '2026-06-30')?.rateOre).toBe(25_000);
    expect(rateInForce(overlapping, 'retention', 1, '2026-07-01')?.rateOre).toBe(26_000);
    expect(rateInForce([...overlapping].reverse(), 'retention', 1, '2026-07-01')?.rateOre).toBe(26_000);
  });
});

describe('withDefaultRate', () => {
  it('adds a partnership’s default rate for every mentor type and level the card leaves out; a card rate wins', () => {
    const card = [{ mentorType: 'company' as const, serviceLevel: 1, validFrom: '2026-01-01', validTo: null, rateOre: 30_000 }];
    const rates = withDefaultRate(card, ['company'], 25_000, '2026-01-01', '2026-12-31', [1, 2]);
    expect(rates).toEqual([card[0], { mentorType: 'company', serviceLevel: 2, validFrom: '2026-01-01', validTo: '2026-12-31', rateOre: 25_000 }]);
    expect(rateInForce(rates, 'company', 2, '2026-06-01')?.rateOre).toBe(25_000);
    expect(rateInForce(rates, 'company', 2, '2027-01-01')).toBeNull();
    expect(rateInForce(rates, 'company', 1, '2026-06-01')?.rateOre).toBe(30_000);
  });
});
