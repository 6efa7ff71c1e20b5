import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { Rate } from '../suppliers/rate-card.rules';
import type { Finding } from './finding';
import { findingWithText } from './finding-text';
import { lineAmountOre } from './invoice-amounts';
import { AgreementFacts, Delivery, GrantFacts, InvoiceLineInput, InvoiceValidationInput, validateInvoice } from './invoice-validation.rules';

const ruleSet = DEFAULT_RULE_SET.values;

// Sickness benefit + retention mentor: no minimum-contact rule applies.
const G1: GrantFacts = {
  reference: 'G-1',
  supplierId: 'sup-1',
  status: 'active',
  start: '2026-01-01',
  end: '2026-06-30',
  minutesPerWeek: 120,
  mentorType: 'retention',
  serviceLevel: 1,
  targetGroup: 'sickness_benefit',
  agreementId: 'A-1',
};

const A1: AgreementFacts = { id: 'A-1', validFrom: '2025-01-01', validTo: null, ceilingOre: null, consumedOre: 0 };

const RATES: Rate[] = [
  { mentorType: 'retention', serviceLevel: 1, validFrom: '2025-01-01', validTo: null, rateOre: 25_000 },
  { mentorType: 'holistic', serviceLevel: 1, validFrom: '2025-01-01', validTo: null, rateOre: 25_000 },
];

let nextIndex = 1;
function line(date: string, minutes: number, patch: Partial<InvoiceLineInput> = {}): InvoiceLineInput {
  const rateOre = patch.rateOre ?? 25_000;
  const amountOre = patch.amountOre ?? lineAmountOre(minutes, rateOre);
  return { index: nextIndex++, grantReference: 'G-1', date, minutes, rateOre, ...patch, amountOre };
}

beforeEach(() => {
  nextIndex = 1;
});

interface Setup {
  grants?: GrantFacts[];
  agreements?: AgreementFacts[];
  rates?: Record<string, Rate[]>;
  earlierDeliveries?: Delivery[];
  period?: { from: string; to: string };
  totals?: InvoiceValidationInput['totals'];
  today?: string;
  priceCaps?: InvoiceValidationInput['priceCaps'];
}

const catalogues = loadCatalogues(templatesDir());

/** A finding as the supplier reads it: told in Danish and English from the findings catalogue. */
type ToldFinding = Finding & { message: { da: string; en: string } };
interface ToldValidation {
  lines: Array<{ index: number; findings: ToldFinding[]; approvableOre: number }>;
  findings: ToldFinding[];
}

// The rules' findings, each told from the catalogue as the API and the pages tell it (a line's finding with its line's grant).
function validate(lines: InvoiceLineInput[], setup: Setup = {}): ToldValidation {
  const result = validateInvoice({
    supplierId: 'sup-1',
    ruleSet,
    lines,
    grants: new Map((setup.grants ?? [G1]).map((g) => [g.reference, g])),
    agreements: new Map((setup.agreements ?? [A1]).map((a) => [a.id, a])),
    rates: new Map(Object.entries(setup.rates ?? { 'A-1': RATES })),
    priceCaps: setup.priceCaps,
    earlierDeliveries: setup.earlierDeliveries ?? [],
    period: setup.period,
    totals: setup.totals,
    today: setup.today ?? '2026-03-01',
  });
  const referenceOf = new Map(lines.map((l) => [l.index, l.grantReference]));
  return {
    lines: result.lines.map((l) => ({ ...l, findings: l.findings.map((f) => findingWithText(catalogues, f, { grantReference: referenceOf.get(l.index) })) })),
    findings: result.findings.map((f) => findingWithText(catalogues, f)),
  };
}

const codes = (findings: Finding[]): string[] => findings.map((f) => f.code);
const approvables = (result: ToldValidation): number[] => result.lines.map((l) => l.approvableOre);
const lineCodes = (result: ToldValidation): string[][] => result.lines.map((l) => codes(l.findings));

describe('validateInvoice: a clean invoice', () => {
  it('approves every line in full with no findings', () => {
    const result = validate([line('2026-01-13', 45), line('2026-01-20', 60), line('2026-01-21', 7)], {
      // 18 750 + 25 000 + 2 917 = 46 667; VAT 11 666.75 → 11 667; total 58 334.
      totals: { vatBasisPoints: 2_500, netOre: 46_667, vatOre: 11_667, totalOre: 58_334 },
    });
    expect(result).toEqual({
      lines: [
        { index: 1, findings: [], approvableOre: 18_750 },
        { index: 2, findings: [], approvableOre: 25_000 },
        { index: 3, findings: [], approvableOre: 2_917 },
      ],
      findings: [],
    });
  });

  it('accepts an empty invoice', () => {
    expect(validate([])).toEqual({ lines: [], findings: [] });
  });

  it('accepts exactly the granted minutes in a week and a date on the grant and agreement edges', () => {
    const grant = { ...G1, start: '2026-01-05', end: '2026-01-11' };
    const agreement = { ...A1, validFrom: '2026-01-05', validTo: '2026-01-11' };
    const result = validate([line('2026-01-05', 60), line('2026-01-11', 60)], { grants: [grant], agreements: [agreement], today: '2026-01-11' });
    expect(lineCodes(result)).toEqual([[], []]);
    expect(approvables(result)).toEqual([25_000, 25_000]);
  });
});

describe('validateInvoice: the grant', () => {
  it('refuses an unknown grant reference', () => {
    const result = validate([line('2026-01-13', 45, { grantReference: 'NOPE' })]);
    expect(result.lines[0]).toEqual({
      index: 1,
      approvableOre: 0,
      findings: [
        {
          code: 'grant_unknown',
          severity: 'error',
          field: 'lines[1].grantReference',
          message: { da: 'Linje 1: bevilling NOPE findes ikke blandt jeres bevillinger', en: 'Line 1: grant NOPE is not one of your grants' },
          values: { grantReference: 'NOPE' },
          approvableOre: 0,
        },
      ],
    });
  });

  it("refuses another supplier's grant without revealing anything of it", () => {
    const other: GrantFacts = {
      ...G1,
      reference: 'X-9',
      supplierId: 'sup-2',
      start: '2025-11-17',
      end: '2026-05-16',
      minutesPerWeek: 170,
      serviceLevel: 2,
      targetGroup: 'activity_ready_cash_benefit',
      agreementId: 'A-2',
    };
    const result = validate([line('2026-01-13', 45, { grantReference: 'X-9' }), line('2026-01-13', 45)], {
      grants: [G1, other],
      agreements: [A1, { ...A1, id: 'A-2', ceilingOre: 100, consumedOre: 99 }],
      rates: { 'A-1': RATES, 'A-2': RATES },
      period: { from: '2026-01-01', to: '2026-01-31' },
    });
    expect(result.lines[0]).toEqual({
      index: 1,
      approvableOre: 0,
      findings: [
        {
          code: 'grant_unknown',
          severity: 'error',
          field: 'lines[1].grantReference',
          message: { da: 'Linje 1: bevilling X-9 findes ikke blandt jeres bevillinger', en: 'Line 1: grant X-9 is not one of your grants' },
          values: { grantReference: 'X-9' },
          approvableOre: 0,
        },
      ],
    });
    // The other supplier's grant takes part in no other rule: no ceiling, no contact, no duplicate with line 2.
    expect(result.findings).toEqual([]);
    expect(result.lines[1]).toEqual({ index: 2, findings: [], approvableOre: 18_750 });
    const text = JSON.stringify(result);
    for (const secret of ['sup-2', 'A-2', '2025-11-17', '2026-05-16', '170', 'activity_ready']) expect(text).not.toContain(secret);
  });

  it.each(['draft', 'cancelled'])('refuses a %s grant', (status) => {
    const result = validate([line('2026-01-13', 45)], { grants: [{ ...G1, status }] });
    expect(result.lines[0].findings).toEqual([
      {
        code: 'grant_not_active',
        severity: 'error',
        field: 'lines[1].grantReference',
        message: { da: `Linje 1: bevilling G-1 er ikke aktiv (status ${status})`, en: `Line 1: grant G-1 is not active (status ${status})` },
        values: { status, endedOn: null, date: '2026-01-13' },
        approvableOre: 0,
      },
    ]);
  });

  it.each(['proposed', 'sent_back'])('refuses a grant not yet approved (%s)', (status) => {
    const result = validate([line('2026-01-13', 45)], { grants: [{ ...G1, status, activeFrom: null }] });
    expect(approvables(result)).toEqual([0]);
    expect(lineCodes(result)).toEqual([['grant_not_active']]);
  });

  it('pays nothing for a line dated before the day the approval made the grant active, and in full from that day', () => {
    const approved = { ...G1, activeFrom: '2026-01-14' };
    // 45 minutes at 250 kr./hour is 187.50 kr.; 60 minutes 250.00 kr.
    const result = validate([line('2026-01-13', 45), line('2026-01-14', 60)], { grants: [approved] });
    expect(approvables(result)).toEqual([0, 25_000]);
    expect(result.lines[0].findings).toEqual([
      {
        code: 'date_before_activation',
        severity: 'error',
        field: 'lines[1].date',
        message: {
          da: 'Linje 1: 2026-01-13 ligger før 2026-01-14, hvor bevillingen blev godkendt og trådte i kraft',
          en: 'Line 1: 2026-01-13 is before 2026-01-14, when the grant was approved and became active',
        },
        values: { date: '2026-01-13', activeFrom: '2026-01-14' },
        approvableOre: 0,
      },
    ]);
    expect(result.lines[1].findings).toEqual([]);
  });

  it('bills an ended grant up to the day it ended, not after', () => {
    const ended = { ...G1, status: 'ended', endedOn: '2026-01-14' };
    const result = validate([line('2026-01-14', 60), line('2026-01-15', 60)], { grants: [ended] });
    expect(approvables(result)).toEqual([25_000, 0]);
    expect(result.lines[1].findings.map((f) => [f.code, f.message.en])).toEqual([
      ['grant_not_active', 'Line 2: grant G-1 ended on 2026-01-14, before 2026-01-15'],
    ]);
  });

  it('refuses a date outside the grant period', () => {
    const result = validate([line('2025-12-31', 60), line('2026-07-01', 60)], { today: '2026-12-31' });
    expect(approvables(result)).toEqual([0, 0]);
    expect(result.lines[0].findings).toEqual([
      {
        code: 'date_outside_grant',
        severity: 'error',
        field: 'lines[1].date',
        message: {
          da: 'Linje 1: 2025-12-31 ligger uden for bevillingens periode 2026-01-01 til 2026-06-30',
          en: 'Line 1: 2025-12-31 is outside the grant period 2026-01-01 to 2026-06-30',
        },
        values: { date: '2025-12-31', grantStart: '2026-01-01', grantEnd: '2026-06-30' },
        approvableOre: 0,
      },
    ]);
    expect(codes(result.lines[1].findings)).toEqual(['date_outside_grant']);
  });

  it("refuses a date outside the agreement's validity", () => {
    const result = validate([line('2026-01-13', 60)], { agreements: [{ ...A1, validTo: '2026-01-12' }] });
    expect(result.lines[0].findings).toEqual([
      {
        code: 'date_outside_agreement',
        severity: 'error',
        field: 'lines[1].date',
        message: {
          da: 'Linje 1: 2026-01-13 ligger uden for aftalens gyldighed 2025-01-01 til 2026-01-12',
          en: "Line 1: 2026-01-13 is outside the agreement's validity 2025-01-01 to 2026-01-12",
        },
        values: { date: '2026-01-13', agreementValidFrom: '2025-01-01', agreementValidTo: '2026-01-12' },
        approvableOre: 0,
      },
    ]);
  });

  it('refuses a line whose agreement is missing', () => {
    const result = validate([line('2026-01-13', 60)], { agreements: [] });
    expect(lineCodes(result)).toEqual([['agreement_unknown']]);
    expect(approvables(result)).toEqual([0]);
  });
});

describe('validateInvoice: dates and minutes', () => {
  it('refuses a date after today and keeps it out of the week sum', () => {
    const result = validate([line('2026-03-02', 60), line('2026-03-01', 90)], { today: '2026-03-01' });
    expect(result.lines[0].findings).toEqual([
      {
        code: 'date_in_future',
        severity: 'error',
        field: 'lines[1].date',
        message: { da: 'Linje 1: 2026-03-02 ligger efter i dag (2026-03-01)', en: 'Line 1: 2026-03-02 is after today (2026-03-01)' },
        values: { date: '2026-03-02', today: '2026-03-01' },
        approvableOre: 0,
      },
    ]);
    // Today itself is fine; 2026-03-01 (Sunday, W09) and 03-02 (Monday, W10) are different weeks anyway.
    expect(result.lines[1]).toEqual({ index: 2, findings: [], approvableOre: 37_500 });
  });

  it('accepts 1440 minutes on a day as far as the day goes (the week cap still applies)', () => {
    const result = validate([line('2026-01-13', 1440)], { grants: [{ ...G1, minutesPerWeek: 1440 }] });
    expect(result.lines[0]).toEqual({ index: 1, findings: [], approvableOre: 600_000 });
  });
});

describe('validateInvoice: minutes per ISO week', () => {
  it('cuts a week that spans two months (2026-01-26..2026-02-01 is 2026-W05), in date order', () => {
    // Listed Sunday first: the allowance still goes to Friday first.
    const result = validate([line('2026-02-01', 60), line('2026-01-30', 90), line('2026-02-02', 120)]);
    expect(approvables(result)).toEqual([12_500, 37_500, 50_000]);
    expect(result.lines[0].findings).toEqual([
      {
        code: 'week_over_grant',
        severity: 'error',
        field: 'lines[1].minutes',
        message: {
          da: 'Uge 2026-W05: 150 minutter faktureret, 120 bevilget; 30 minutter kan ikke godkendes (linje 1: 30 af 60 minutter)',
          en: 'Week 2026-W05: 150 minutes invoiced, 120 granted; 30 minutes cannot be approved (line 1: 30 of 60 minutes)',
        },
        values: {
          week: '2026-W05',
          grantReference: 'G-1',
          invoicedMinutes: 150,
          earlierMinutes: 0,
          grantedMinutes: 120,
          excessMinutes: 30,
          lineMinutes: 60,
          approvableMinutes: 30,
        },
        approvableOre: 12_500,
      },
    ]);
    expect(lineCodes(result)).toEqual([['week_over_grant'], [], []]);
  });

  it('counts earlier invoices first: 90 of 120 minutes used, this invoice 60 → 30 approvable', () => {
    const result = validate([line('2026-01-14', 60)], {
      earlierDeliveries: [
        { grantReference: 'G-1', date: '2026-01-12', minutes: 90 },
        // Another week and another grant do not count.
        { grantReference: 'G-1', date: '2026-01-11', minutes: 120 },
        { grantReference: 'G-2', date: '2026-01-13', minutes: 120 },
      ],
    });
    expect(result.lines[0].approvableOre).toBe(12_500);
    expect(result.lines[0].findings.map((f) => [f.code, f.message.da, f.message.en, f.values.earlierMinutes])).toEqual([
      [
        'week_over_grant',
        'Uge 2026-W03: 150 minutter faktureret, 120 bevilget; 30 minutter kan ikke godkendes (linje 1: 30 af 60 minutter)',
        'Week 2026-W03: 150 minutes invoiced, 120 granted; 30 minutes cannot be approved (line 1: 30 of 60 minutes)',
        90,
      ],
    ]);
  });

  it('approves nothing of a week the earlier invoices already filled past the cap', () => {
    const result = validate([line('2026-01-14', 60), line('2026-01-15', 30)], {
      earlierDeliveries: [{ grantReference: 'G-1', date: '2026-01-12', minutes: 130 }],
    });
    expect(approvables(result)).toEqual([0, 0]);
    expect(result.lines.map((l) => l.findings[0].message.en)).toEqual([
      'Week 2026-W03: 220 minutes invoiced, 120 granted; 90 minutes cannot be approved (line 1: 0 of 60 minutes)',
      'Week 2026-W03: 220 minutes invoiced, 120 granted; 90 minutes cannot be approved (line 2: 0 of 30 minutes)',
    ]);
  });

  it('keeps grants apart in the same week', () => {
    const g2 = { ...G1, reference: 'G-2' };
    const result = validate([line('2026-01-13', 120), line('2026-01-13', 120, { grantReference: 'G-2' })], { grants: [G1, g2] });
    expect(approvables(result)).toEqual([50_000, 50_000]);
  });

  it('rounds the approvable part of a cut line half up', () => {
    // 7 of 10 minutes at 25 000: 2916.67 → 2917.
    const result = validate([line('2026-01-13', 113), line('2026-01-14', 10, { amountOre: 4_167 })]);
    expect(approvables(result)).toEqual([47_083, 2_917]);
  });
});

describe('validateInvoice: rates', () => {
  // 25 000 until Wednesday 2026-01-14, 26 000 from Thursday 2026-01-15.
  const changing: Rate[] = [
    { mentorType: 'retention', serviceLevel: 1, validFrom: '2025-01-01', validTo: '2026-01-14', rateOre: 25_000 },
    { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-15', validTo: null, rateOre: 26_000 },
  ];

  it('uses the rate valid on the line date when the rate changes mid-week', () => {
    const result = validate([line('2026-01-13', 60, { rateOre: 26_000 }), line('2026-01-15', 60, { rateOre: 26_000 })], { rates: { 'A-1': changing } });
    expect(result.lines[0]).toEqual({
      index: 1,
      approvableOre: 25_000,
      findings: [
        {
          code: 'rate_above_agreement',
          severity: 'error',
          field: 'lines[1].rateOre',
          message: {
            da: 'Linje 1: timeprisen 260,00 kr. er over aftalens 250,00 kr. den 2026-01-13; kun aftalens pris kan godkendes',
            en: 'Line 1: the rate DKK 260.00 is above the agreed DKK 250.00 on 2026-01-13; only the agreed rate can be approved',
          },
          values: { rateOre: 26_000, agreedRateOre: 25_000, date: '2026-01-13', mentorType: 'retention', serviceLevel: 1 },
          approvableOre: 25_000,
        },
      ],
    });
    expect(result.lines[1]).toEqual({ index: 2, findings: [], approvableOre: 26_000 });
  });

  it('approves a rate below the agreement as invoiced', () => {
    const result = validate([line('2026-01-13', 60, { rateOre: 24_000 })]);
    expect(result.lines[0]).toEqual({ index: 1, findings: [], approvableOre: 24_000 });
  });

  it('cuts a line over both the week and the rate at the agreed rate: 120 of 150 minutes at 25 000', () => {
    const result = validate([line('2026-01-13', 150, { rateOre: 26_000 })], { rates: { 'A-1': changing } });
    expect(result.lines[0].approvableOre).toBe(50_000);
    expect(codes(result.lines[0].findings)).toEqual(['rate_above_agreement', 'week_over_grant']);
    expect(result.lines[0].findings.every((f) => f.approvableOre === 50_000)).toBe(true);
  });

  it('approves a line above a price cap lowered below the agreed rate at the cap, from the cap’s first day', () => {
    // The agreed 250.00 kr.; a cap of 245.50 kr. from Thursday 2026-01-15.
    const priceCaps = [{ mentorType: 'retention' as const, serviceLevel: 1, validFrom: '2026-01-15', rateOre: 24_550 }];
    const result = validate([line('2026-01-14', 45, { rateOre: 25_000 }), line('2026-01-15', 45, { rateOre: 25_000 }), line('2026-01-16', 15, { rateOre: 24_000 })], { priceCaps });
    expect(result.lines[0]).toEqual({ index: 1, findings: [], approvableOre: 18_750 });
    // 45 min × 245.50 kr. = 184.125 kr. → 184.13 kr.
    expect(result.lines[1]).toEqual({
      index: 2,
      approvableOre: 18_413,
      findings: [
        {
          code: 'rate_above_price_cap',
          severity: 'error',
          field: 'lines[2].rateOre',
          message: {
            da: 'Linje 2: timeprisen 250,00 kr. er over prisloftet på 245,50 kr. den 2026-01-15; kun prisloftet kan godkendes',
            en: 'Line 2: the rate DKK 250.00 is above the price cap of DKK 245.50 on 2026-01-15; only the cap can be approved',
          },
          values: { rateOre: 25_000, priceCapOre: 24_550, date: '2026-01-15', mentorType: 'retention', serviceLevel: 1 },
          approvableOre: 18_413,
        },
      ],
    });
    expect(result.lines[2]).toEqual({ index: 3, findings: [], approvableOre: 6_000 });
  });

  it('cuts a line above both the agreement and the cap at the lower of the two', () => {
    const priceCaps = [{ mentorType: 'retention' as const, serviceLevel: 1, validFrom: '2026-01-01', rateOre: 24_000 }];
    const result = validate([line('2026-01-13', 60, { rateOre: 26_000 })], { priceCaps });
    expect(codes(result.lines[0].findings)).toEqual(['rate_above_agreement', 'rate_above_price_cap']);
    expect(result.lines[0].approvableOre).toBe(24_000);
  });

  it('refuses a line with no rate in force for the mentor type and level', () => {
    const result = validate([line('2026-01-13', 60)], { rates: { 'A-1': [{ ...RATES[0], serviceLevel: 2 }] } });
    expect(result.lines[0].findings).toEqual([
      {
        code: 'rate_missing',
        severity: 'error',
        field: 'lines[1].rateOre',
        message: {
          da: 'Linje 1: aftalen har ingen timepris for mentortype retention, niveau 1 den 2026-01-13',
          en: 'Line 1: the agreement has no rate for mentor type retention, level 1 on 2026-01-13',
        },
        values: { mentorType: 'retention', serviceLevel: 1, date: '2026-01-13' },
        approvableOre: 0,
      },
    ]);
    expect(codes(validate([line('2026-01-13', 60)], { rates: {} }).lines[0].findings)).toEqual(['rate_missing']);
  });
});

describe('validateInvoice: line arithmetic', () => {
  it('approves the computed amount when the line claims more', () => {
    const result = validate([line('2026-01-13', 45, { amountOre: 19_000 })]);
    expect(result.lines[0]).toEqual({
      index: 1,
      approvableOre: 18_750,
      findings: [
        {
          code: 'line_amount',
          severity: 'error',
          field: 'lines[1].amountOre',
          message: {
            da: 'Linje 1: 45 minutter à 250,00 kr. i timen er 187,50 kr., ikke 190,00 kr.',
            en: 'Line 1: 45 minutes at DKK 250.00 per hour is DKK 187.50, not DKK 190.00',
          },
          values: { expected: 18_750, given: 19_000, minutes: 45, rateOre: 25_000 },
          approvableOre: 18_750,
        },
      ],
    });
  });

  it('never approves more than the line claims', () => {
    const result = validate([line('2026-01-13', 45, { amountOre: 18_000 })]);
    expect(codes(result.lines[0].findings)).toEqual(['line_amount']);
    expect(result.lines[0].approvableOre).toBe(18_000);
  });

  it('checks net, VAT and total when the totals are given', () => {
    const result = validate([line('2026-01-13', 45), line('2026-01-20', 60)], {
      totals: { vatBasisPoints: 2_500, netOre: 43_700, vatOre: 10_937, totalOre: 54_000 },
    });
    expect(result.findings).toEqual([
      {
        code: 'net_total',
        severity: 'error',
        field: 'netOre',
        message: { da: 'Nettobeløbet er 437,00 kr., men skal være 437,50 kr.', en: 'The net amount is DKK 437.00 but should be DKK 437.50' },
        values: { expected: 43_750, given: 43_700 },
      },
      {
        code: 'vat_total',
        severity: 'error',
        field: 'vatOre',
        message: { da: 'Momsen er 109,37 kr., men skal være 109,25 kr.', en: 'The VAT is DKK 109.37 but should be DKK 109.25' },
        values: { expected: 10_925, given: 10_937, netOre: 43_700, vatBasisPoints: 2_500 },
      },
      {
        code: 'invoice_total',
        severity: 'error',
        field: 'totalOre',
        message: { da: 'Totalen er 540,00 kr., men skal være 546,37 kr.', en: 'The total is DKK 540.00 but should be DKK 546.37' },
        values: { expected: 54_637, given: 54_000 },
      },
    ]);
    expect(approvables(result)).toEqual([18_750, 25_000]);
  });
});

describe('validateInvoice: duplicates', () => {
  it('refuses the second of two identical lines on one invoice and keeps it out of the week sum', () => {
    const result = validate([line('2026-01-13', 45), line('2026-01-13', 45), line('2026-01-13', 30), line('2026-01-14', 45)]);
    expect(approvables(result)).toEqual([18_750, 0, 12_500, 18_750]);
    expect(result.lines[1].findings).toEqual([
      {
        code: 'duplicate_delivery',
        severity: 'error',
        field: 'lines[2].date',
        message: {
          da: 'Linje 2: 45 minutter den 2026-01-13 på bevilling G-1 er allerede faktureret på linje 1 på denne faktura',
          en: 'Line 2: 45 minutes on 2026-01-13 for grant G-1 are already invoiced on line 1 of this invoice',
        },
        values: { grantReference: 'G-1', date: '2026-01-13', minutes: 45, duplicateOfLine: 1 },
        approvableOre: 0,
      },
    ]);
    expect(lineCodes(result)).toEqual([[], ['duplicate_delivery'], [], []]);
  });

  it('refuses a line already claimed on another invoice', () => {
    const result = validate([line('2026-01-13', 45), line('2026-01-14', 45)], {
      earlierDeliveries: [{ grantReference: 'G-1', date: '2026-01-13', minutes: 45 }],
    });
    expect(approvables(result)).toEqual([0, 18_750]);
    expect(result.lines[0].findings.map((f) => [f.code, f.message.en, f.values.duplicateOfLine])).toEqual([
      ['duplicate_delivery', 'Line 1: 45 minutes on 2026-01-13 for grant G-1 are already invoiced on another invoice', null],
    ]);
  });

  it('is no duplicate with other minutes, another date or another grant', () => {
    const g2 = { ...G1, reference: 'G-2' };
    const result = validate([line('2026-01-13', 45), line('2026-01-13', 30), line('2026-01-14', 45), line('2026-01-13', 45, { grantReference: 'G-2' })], {
      grants: [G1, g2],
    });
    expect(lineCodes(result)).toEqual([[], [], [], []]);
  });
});

describe('validateInvoice: the agreement ceiling', () => {
  const ceiling = (consumedOre: number): AgreementFacts[] => [{ ...A1, ceilingOre: 1_000_000, consumedOre }];

  it('warns when spending goes from 79 % to 81 % of the ceiling', () => {
    // 48 minutes at 25 000 = 20 000: 790 000 → 810 000.
    const result = validate([line('2026-01-13', 48)], { agreements: ceiling(790_000) });
    expect(approvables(result)).toEqual([20_000]);
    expect(result.findings).toEqual([
      {
        code: 'ceiling_warning',
        severity: 'warning',
        message: {
          da: 'Aftalens forbrug når 80 % af loftet: 8.100,00 kr. af 10.000,00 kr.',
          en: "The agreement's spending reaches 80 % of its ceiling: DKK 8,100.00 of DKK 10,000.00",
        },
        values: { agreementId: 'A-1', percent: 80, spentOre: 810_000, ceilingOre: 1_000_000, consumedBeforeOre: 790_000 },
      },
    ]);
  });

  it('warns at exactly 80 %, and not again once past it', () => {
    expect(codes(validate([line('2026-01-13', 24)], { agreements: ceiling(790_000) }).findings)).toEqual(['ceiling_warning']);
    expect(codes(validate([line('2026-01-13', 23)], { agreements: ceiling(790_000) }).findings)).toEqual([]);
    expect(codes(validate([line('2026-01-13', 24)], { agreements: ceiling(800_000) }).findings)).toEqual([]);
  });

  it('warns at 90 % when crossing it', () => {
    const result = validate([line('2026-01-13', 60)], { agreements: ceiling(880_000) });
    expect(result.findings.map((f) => [f.code, f.values.percent, f.values.spentOre])).toEqual([['ceiling_warning', 90, 905_000]]);
  });

  it('warns at 80 % and 90 % when one invoice crosses both', () => {
    const lines = [line('2026-01-13', 120), line('2026-01-20', 120), line('2026-01-27', 120)];
    const result = validate(lines, { agreements: ceiling(790_000) });
    expect(result.findings.map((f) => [f.code, f.values.percent])).toEqual([
      ['ceiling_warning', 80],
      ['ceiling_warning', 90],
    ]);
    expect(approvables(result)).toEqual([50_000, 50_000, 50_000]);
  });

  it('reaching the ceiling exactly is no error', () => {
    const result = validate([line('2026-01-13', 120)], { agreements: ceiling(950_000) });
    expect(result.findings).toEqual([]);
    expect(approvables(result)).toEqual([50_000]);
  });

  it('cuts what passes the ceiling from the last line backwards', () => {
    // 980 000 + 50 000 + 25 000 = 1 055 000: 55 000 over; line 2 loses 25 000, line 1 30 000.
    const result = validate([line('2026-01-13', 120), line('2026-01-20', 60)], { agreements: ceiling(980_000) });
    expect(approvables(result)).toEqual([20_000, 0]);
    expect(result.findings).toEqual([
      {
        code: 'ceiling_passed',
        severity: 'error',
        message: {
          da: 'Aftalens loft på 10.000,00 kr. er brugt med 9.800,00 kr.; fakturaens 750,00 kr. går 550,00 kr. over, som ikke kan godkendes',
          en: "The agreement's ceiling of DKK 10,000.00 has DKK 9,800.00 used; this invoice's DKK 750.00 passes it by DKK 550.00, which cannot be approved",
        },
        values: { agreementId: 'A-1', ceilingOre: 1_000_000, consumedOre: 980_000, invoiceOre: 75_000, excessOre: 55_000 },
      },
    ]);
    expect(result.lines[0].findings).toEqual([
      {
        code: 'ceiling_passed',
        severity: 'error',
        field: 'lines[1].amountOre',
        message: {
          da: 'Linje 1: 300,00 kr. ligger over aftalens loft på 10.000,00 kr. og kan ikke godkendes',
          en: "Line 1: DKK 300.00 lies above the agreement's ceiling of DKK 10,000.00 and cannot be approved",
        },
        values: { agreementId: 'A-1', ceilingOre: 1_000_000, cutOre: 30_000 },
        approvableOre: 20_000,
      },
    ]);
    expect(result.lines[1].findings.map((f) => [f.code, f.values.cutOre, f.approvableOre])).toEqual([['ceiling_passed', 25_000, 0]]);
  });

  it('cuts from the approvable amounts, after the week cap and the agreed rate', () => {
    // Line 1: 150 minutes → 120 approvable = 50 000; line 2 is a duplicate (0); line 3: 30 minutes = 12 500.
    // 940 000 + 62 500 = 1 002 500: 2 500 over, taken from line 3.
    const result = validate([line('2026-01-13', 150), line('2026-01-13', 150), line('2026-01-20', 30)], { agreements: ceiling(940_000) });
    expect(approvables(result)).toEqual([50_000, 0, 10_000]);
    // Already at 94 % before this invoice: no threshold is crossed now.
    expect(result.findings.map((f) => [f.code, f.values.excessOre])).toEqual([['ceiling_passed', 2_500]]);
  });

  it('warns at 80 % and 90 % and cuts at the ceiling when one invoice goes from 79 % past 100 %', () => {
    // 790 000 + 4 × 50 000 + 25 000 = 1 015 000: 15 000 over, taken from the last line (25 000 → 10 000).
    const lines = [line('2026-01-13', 120), line('2026-01-20', 120), line('2026-01-27', 120), line('2026-02-03', 120), line('2026-02-10', 60)];
    const result = validate(lines, { agreements: ceiling(790_000) });
    expect(approvables(result)).toEqual([50_000, 50_000, 50_000, 50_000, 10_000]);
    expect(result.findings.map((f) => [f.code, f.values.excessOre ?? f.values.percent, f.values.spentOre ?? null])).toEqual([
      ['ceiling_passed', 15_000, null],
      ['ceiling_warning', 80, 1_000_000],
      ['ceiling_warning', 90, 1_000_000],
    ]);
    expect(lineCodes(result)).toEqual([[], [], [], [], ['ceiling_passed']]);
  });

  it('approves nothing once the ceiling is already passed', () => {
    const result = validate([line('2026-01-13', 60)], { agreements: ceiling(1_000_100) });
    expect(approvables(result)).toEqual([0]);
    expect(result.findings.map((f) => [f.code, f.values.excessOre])).toEqual([['ceiling_passed', 25_000]]);
  });

  it('has no ceiling rules without a ceiling', () => {
    expect(validate([line('2026-01-13', 60)], { agreements: [{ ...A1, consumedOre: 10_000_000_000 }] }).findings).toEqual([]);
  });
});

describe('validateInvoice: minimum contact', () => {
  // Activity-ready cash benefit: contact every week.
  const weekly: GrantFacts = { ...G1, targetGroup: 'activity_ready_cash_benefit' };
  // Holistic mentor: contact every second week.
  const holistic: GrantFacts = { ...G1, reference: 'H-1', mentorType: 'holistic', targetGroup: 'other', start: '2026-01-05' };

  it('warns for each week of the period without a session (weekly contact)', () => {
    // January 2026 touches 2026-W01 (from 2025-12-29) to 2026-W05 (to 2026-02-01).
    const result = validate([line('2026-01-06', 60), line('2026-01-20', 60)], {
      grants: [weekly],
      period: { from: '2026-01-01', to: '2026-01-31' },
      earlierDeliveries: [{ grantReference: 'G-1', date: '2026-01-01', minutes: 30 }],
    });
    expect(result.findings).toEqual([
      {
        code: 'minimum_contact_missing',
        severity: 'warning',
        message: {
          da: 'Uge 2026-W03: ingen kontakt på bevilling G-1; minimumskontakt er hver uge',
          en: 'Week 2026-W03: no contact on grant G-1; minimum contact is every week',
        },
        values: { grantReference: 'G-1', week: '2026-W03', everyWeeks: 1, weeksWithoutContact: '2026-W03' },
      },
      {
        code: 'minimum_contact_missing',
        severity: 'warning',
        message: {
          da: 'Uge 2026-W05: ingen kontakt på bevilling G-1; minimumskontakt er hver uge',
          en: 'Week 2026-W05: no contact on grant G-1; minimum contact is every week',
        },
        values: { grantReference: 'G-1', week: '2026-W05', everyWeeks: 1, weeksWithoutContact: '2026-W05' },
      },
    ]);
    expect(approvables(result)).toEqual([25_000, 25_000]);
  });

  it('checks only the weeks inside the grant', () => {
    const result = validate([line('2026-01-20', 60)], {
      grants: [{ ...weekly, start: '2026-01-14', end: '2026-01-25' }],
      period: { from: '2026-01-01', to: '2026-01-31' },
    });
    expect(result.findings.map((f) => f.values.week)).toEqual(['2026-W03']);
  });

  it('counts a session on another invoice in the same week as contact', () => {
    const result = validate([line('2026-01-06', 60)], {
      grants: [weekly],
      period: { from: '2026-01-05', to: '2026-01-18' },
      earlierDeliveries: [{ grantReference: 'G-1', date: '2026-01-18', minutes: 45 }],
    });
    expect(result.findings).toEqual([]);
  });

  it('does not count a refused line as contact', () => {
    const result = validate([line('2026-01-06', 60), line('2026-01-13', 45, { grantReference: 'X' })], {
      grants: [weekly],
      period: { from: '2026-01-05', to: '2026-01-18' },
    });
    expect(result.findings.map((f) => f.values.week)).toEqual(['2026-W03']);
  });

  it('warns when two consecutive weeks both lack contact (every second week)', () => {
    // Grant from 2026-01-05 (W02). Contact in W03 and W07; W04 alone is fine, W04+W05 and W05+W06 are not.
    const result = validate([line('2026-01-13', 60, { grantReference: 'H-1' }), line('2026-02-10', 60, { grantReference: 'H-1' })], {
      grants: [holistic],
      period: { from: '2026-01-05', to: '2026-02-15' },
    });
    expect(result.findings).toEqual([
      {
        code: 'minimum_contact_missing',
        severity: 'warning',
        message: {
          da: 'Uge 2026-W05: ingen kontakt på bevilling H-1 i 2 uger (2026-W04 til 2026-W05); minimumskontakt er hver 2. uge',
          en: 'Week 2026-W05: no contact on grant H-1 for 2 weeks (2026-W04 to 2026-W05); minimum contact is every 2 weeks',
        },
        values: { grantReference: 'H-1', week: '2026-W05', everyWeeks: 2, weeksWithoutContact: '2026-W04,2026-W05' },
      },
      expect.objectContaining({ code: 'minimum_contact_missing', values: expect.objectContaining({ week: '2026-W06', weeksWithoutContact: '2026-W05,2026-W06' }) }),
    ]);
  });

  it('looks back before the period for every-second-week contact, but not before the grant', () => {
    // February: W06 has no contact and neither had W05 (no earlier deliveries) → warning at W06.
    const feb = validate([line('2026-02-10', 60, { grantReference: 'H-1' })], {
      grants: [holistic],
      period: { from: '2026-02-02', to: '2026-02-15' },
    });
    expect(feb.findings.map((f) => f.values.week)).toEqual(['2026-W06']);
    // The same with a session in W05 on an earlier invoice: no warning.
    const withEarlier = validate([line('2026-02-10', 60, { grantReference: 'H-1' })], {
      grants: [holistic],
      period: { from: '2026-02-02', to: '2026-02-15' },
      earlierDeliveries: [{ grantReference: 'H-1', date: '2026-01-30', minutes: 60 }],
    });
    expect(withEarlier.findings).toEqual([]);
    // The grant's first week alone never makes a two-week gap.
    const firstWeek = validate([line('2026-01-13', 60, { grantReference: 'H-1' })], {
      grants: [holistic],
      period: { from: '2026-01-05', to: '2026-01-18' },
    });
    expect(firstWeek.findings).toEqual([]);
  });

  it('has no contact rule for target groups and mentor types without one, and no check without a period', () => {
    expect(validate([line('2026-01-06', 60)], { period: { from: '2026-01-01', to: '2026-01-31' } }).findings).toEqual([]);
    expect(validate([line('2026-01-06', 60)], { grants: [weekly] }).findings).toEqual([]);
  });
});

describe('validateInvoice: privacy', () => {
  it('puts no citizen data in any message (the inputs carry none; messages use references and numbers only)', () => {
    const result = validate([line('2026-01-13', 150, { rateOre: 26_000, amountOre: 1 }), line('2026-03-05', 60), line('2026-01-13', 45, { grantReference: 'Z' })], {
      agreements: [{ ...A1, ceilingOre: 100_000, consumedOre: 90_000 }],
      period: { from: '2026-01-01', to: '2026-01-31' },
      grants: [{ ...G1, targetGroup: 'activity_ready_cash_benefit' }],
    });
    const messages = [...result.findings, ...result.lines.flatMap((l) => l.findings)].flatMap((f) => [f.message.da, f.message.en]);
    expect(messages.length).toBeGreaterThan(5);
    for (const message of messages) expect(message).not.toMatch(/\d{6}-?\d{4}/);
  });
});
