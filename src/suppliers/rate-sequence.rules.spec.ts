import { checkCorrectable, checkRateSequence, endRate, indexFactor, percentFactor, planRegulation, regulatedRateOre, type RegulationFactor, type StoredRate } from './rate-sequence.rules';

const rate = (id: string, validFrom: string, validTo: string | null, rateOre: number, serviceLevel = 1): StoredRate => ({ id, mentorType: 'retention', serviceLevel, validFrom, validTo, rateOre });
const factor = (f: ReturnType<typeof percentFactor>): RegulationFactor => {
  if (!('numerator' in f)) throw new Error(f.message);
  return f;
};

describe('the rate sequence', () => {
  it('accepts rates that follow day after day, the last open-ended', () => {
    expect(checkRateSequence([rate('b', '2027-01-01', null, 46395), rate('a', '2026-01-01', '2026-12-31', 45000)])).toEqual([]);
  });

  it('names a gap between 2026-12-30 and 2027-01-01', () => {
    expect(checkRateSequence([rate('a', '2026-01-01', '2026-12-30', 45000), rate('b', '2027-01-01', null, 46395)])).toEqual([
      expect.objectContaining({ rule: 'rate_sequence_gap', values: { mentorType: 'retention', serviceLevel: 1, endsOn: '2026-12-30', startsOn: '2027-01-01' } }),
    ]);
  });

  it('names an overlap of one day and an open-ended rate followed by another', () => {
    expect(checkRateSequence([rate('a', '2026-01-01', '2027-01-01', 45000), rate('b', '2027-01-01', null, 46395)]).map((p) => p.rule)).toEqual(['rate_overlap']);
    expect(checkRateSequence([rate('a', '2026-01-01', null, 45000), rate('b', '2027-01-01', null, 46395)]).map((p) => p.rule)).toEqual(['rate_overlap']);
  });

  it('checks each mentor type and level on its own', () => {
    expect(checkRateSequence([rate('a', '2026-01-01', null, 45000, 1), rate('b', '2026-06-01', null, 50000, 2)])).toEqual([]);
  });
});

describe('ending a rate', () => {
  it('ends the last rate on any day from its start', () => {
    const { card, problems } = endRate([rate('a', '2026-01-01', null, 45000)], 'a', '2026-01-01');
    expect(problems).toEqual([]);
    expect(card).toEqual([rate('a', '2026-01-01', '2026-01-01', 45000)]);
  });

  it('refuses an end before the start, and one that leaves a gap before the next rate', () => {
    expect(endRate([rate('a', '2026-03-01', null, 45000)], 'a', '2026-02-28').problems.map((p) => p.rule)).toEqual(['period_order']);
    const card = [rate('a', '2026-01-01', '2026-02-28', 45000), rate('b', '2026-03-01', null, 46000)];
    expect(endRate(card, 'a', '2026-02-27').problems.map((p) => p.rule)).toEqual(['rate_sequence_gap']);
    expect(endRate(card, 'a', '2026-03-01').problems.map((p) => p.rule)).toEqual(['rate_overlap']);
  });
});

describe('correcting a rate', () => {
  it('is allowed until the day before it starts', () => {
    expect(checkCorrectable(rate('a', '2027-01-01', null, 45000), '2026-12-31')).toEqual([]);
    expect(checkCorrectable(rate('a', '2027-01-01', null, 45000), '2027-01-01').map((p) => p.rule)).toEqual(['rate_started']);
  });
});

describe('regulation factors and rounding', () => {
  it('reads +3.1 % as 1031/1000 exactly and gives 450.00 → 463.95 kr.', () => {
    const f = factor(percentFactor('3.1'));
    expect(f.numerator * 1000n).toBe(f.denominator * 1031n);
    expect(regulatedRateOre(45000, f)).toBe(46395);
  });

  it('rounds half up to the øre', () => {
    // 50 øre + 1 % = 50.5 øre → 51; 25050 + 3.1 % = 25826.55 → 25827; 10002 + 2.5 % = 10252.05 → 10252
    expect(regulatedRateOre(50, factor(percentFactor('1')))).toBe(51);
    expect(regulatedRateOre(25050, factor(percentFactor('3.1')))).toBe(25827);
    expect(regulatedRateOre(10002, factor(percentFactor('2.5')))).toBe(10252);
    // A cut: 45000 − 0.55 % = 44752.5 → 44753
    expect(regulatedRateOre(45000, factor(percentFactor('-0.55')))).toBe(44753);
    // 0.0001 % on 1 000 000 kr. is 100 øre exactly
    expect(regulatedRateOre(100_000_000, factor(percentFactor('0.0001')))).toBe(100_000_100);
  });

  it('regulates by an index: 112.4 → 115.9 on 450.00 kr. is 464.01 kr. (46401.245 øre)', () => {
    expect(regulatedRateOre(45000, factor(indexFactor({ base: '112.4', current: '115.9' })))).toBe(46401);
  });

  it('refuses a percentage that is not a decimal string with a point, or -100 and below', () => {
    for (const bad of ['3,1', '3.12345', '1e2', '', ' 3.1', '-100', '-100.5', '1000', 'NaN']) {
      expect(percentFactor(bad)).toEqual(expect.objectContaining({ rule: 'regulation_percent', field: 'percent' }));
    }
    expect(indexFactor({ base: '0', current: '115.9' })).toEqual(expect.objectContaining({ rule: 'regulation_index' }));
  });
});

describe('planning a price regulation', () => {
  const agreement = { validFrom: '2026-01-01', validTo: '2027-12-31', active: true };
  const plus31 = factor(percentFactor('3.1'));

  it('ends every rate in force the day before and starts a regulated one to the old end', () => {
    const card = [rate('a', '2026-01-01', null, 45000, 1), rate('b', '2026-01-01', '2027-06-30', 52000, 2), rate('c', '2026-01-01', '2026-06-30', 40000, 3)];
    const { steps, problems } = planRegulation(agreement, card, '2027-01-01', plus31);
    expect(problems).toEqual([]);
    expect(steps).toEqual([
      { ending: card[0], endsOn: '2026-12-31', starting: { mentorType: 'retention', serviceLevel: 1, validFrom: '2027-01-01', validTo: null, rateOre: 46395 } },
      { ending: card[1], endsOn: '2026-12-31', starting: { mentorType: 'retention', serviceLevel: 2, validFrom: '2027-01-01', validTo: '2027-06-30', rateOre: 53612 } },
    ]);
  });

  it('refuses a regulation on an ended or inactive agreement, or from its first day', () => {
    const card = [rate('a', '2026-01-01', null, 45000)];
    expect(planRegulation({ ...agreement, validTo: '2026-12-31' }, card, '2027-01-01', plus31).problems.map((p) => p.rule)).toEqual(['regulation_agreement_ended']);
    expect(planRegulation({ ...agreement, active: false }, card, '2027-01-01', plus31).problems.map((p) => p.rule)).toEqual(['regulation_agreement_ended']);
    expect(planRegulation(agreement, card, '2026-01-01', plus31).problems.map((p) => p.rule)).toEqual(['regulation_before_start']);
  });

  it('refuses when a rate already starts on or after the date, and plans nothing', () => {
    const card = [rate('a', '2026-01-01', '2026-12-31', 45000, 1), rate('b', '2027-01-01', null, 46000, 1), rate('c', '2026-01-01', null, 50000, 2)];
    expect(planRegulation(agreement, card, '2027-01-01', plus31)).toEqual({ steps: [], problems: [expect.objectContaining({ rule: 'rate_overlap', values: { existingValidFrom: '2027-01-01', existingValidTo: null, existingRateOre: 46000 } })] });
  });

  it('refuses when no rate is in force', () => {
    expect(planRegulation(agreement, [rate('a', '2026-01-01', '2026-06-30', 45000)], '2027-01-01', plus31).problems.map((p) => p.rule)).toEqual(['regulation_no_rates']);
  });
});

describe('the bound of a regulated rate', () => {
  it('refuses a regulation that would take a rate above 1 billion kr. per hour', () => {
    const f = percentFactor('999.9999');
    if (!('numerator' in f)) throw new Error(f.message);
    const card = [{ id: 'a', mentorType: 'retention' as const, serviceLevel: 1, validFrom: '2026-01-01', validTo: null, rateOre: 10_000_000_000 }];
    expect(planRegulation({ validFrom: '2026-01-01', validTo: '2027-12-31', active: true }, card, '2027-01-01', f).problems).toEqual([
      expect.objectContaining({ rule: 'regulation_rate_bound', values: { rateOre: 10_000_000_000, maxRateOre: 100_000_000_000 } }),
    ]);
  });
});
