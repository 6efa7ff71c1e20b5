import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { FINDING_CODES, type Finding, type FindingCode } from './finding';
import { describeFinding, FINDING_TEXT_KEYS, findingTextKey, findingWithText } from './finding-text';

const catalogues = loadCatalogues(templatesDir());

/** One finding of every code and every variant of its sentence, with the values the rules give it. */
const SAMPLES: Record<FindingCode, Finding[]> = {
  grant_unknown: [{ code: 'grant_unknown', severity: 'error', field: 'lines[1].grantReference', values: { grantReference: 'MS-2026-000009' } }],
  grant_not_active: [
    { code: 'grant_not_active', severity: 'error', field: 'lines[2].grantReference', values: { status: 'cancelled', endedOn: null, date: '2026-10-05' } },
    { code: 'grant_not_active', severity: 'error', field: 'lines[2].grantReference', values: { status: 'ended', endedOn: '2026-10-04', date: '2026-10-05' } },
  ],
  date_in_future: [{ code: 'date_in_future', severity: 'error', field: 'lines[1].date', values: { date: '2026-12-08', today: '2026-12-07' } }],
  date_outside_grant: [{ code: 'date_outside_grant', severity: 'error', field: 'lines[1].date', values: { date: '2025-12-31', grantStart: '2026-01-01', grantEnd: '2026-06-30' } }],
  date_before_activation: [
    { code: 'date_before_activation', severity: 'error', field: 'lines[1].date', values: { date: '2026-01-05', activeFrom: '2026-01-12' } },
  ],
  agreement_unknown: [{ code: 'agreement_unknown', severity: 'error', field: 'lines[1].grantReference', values: { agreementId: 'a' } }],
  date_outside_agreement: [
    { code: 'date_outside_agreement', severity: 'error', field: 'lines[1].date', values: { date: '2026-01-13', agreementValidFrom: '2025-01-01', agreementValidTo: '2026-01-12' } },
    { code: 'date_outside_agreement', severity: 'error', field: 'lines[1].date', values: { date: '2024-01-13', agreementValidFrom: '2025-01-01', agreementValidTo: null } },
  ],
  rate_missing: [{ code: 'rate_missing', severity: 'error', field: 'lines[1].rateOre', values: { mentorType: 'retention', serviceLevel: 1, date: '2026-01-13' } }],
  rate_above_agreement: [
    { code: 'rate_above_agreement', severity: 'error', field: 'lines[1].rateOre', values: { rateOre: 26_000, agreedRateOre: 25_000, date: '2026-01-13', mentorType: 'retention', serviceLevel: 1 } },
  ],
  rate_above_price_cap: [
    { code: 'rate_above_price_cap', severity: 'error', field: 'lines[1].rateOre', values: { rateOre: 52_000, priceCapOre: 50_000, date: '2026-01-13', mentorType: 'retention', serviceLevel: 1 } },
  ],
  rate_above_employee_rate: [
    { code: 'rate_above_employee_rate', severity: 'error', field: 'lines[2].rateOre', values: { rateOre: 35_000, employeeRateOre: 31_250, employeeRef: 'KJ', date: '2026-11-10' } },
  ],
  line_amount: [{ code: 'line_amount', severity: 'error', field: 'lines[1].amountOre', values: { expected: 18_750, given: 19_000, minutes: 45, rateOre: 25_000 } }],
  duplicate_delivery: [
    { code: 'duplicate_delivery', severity: 'error', field: 'lines[3].date', values: { grantReference: 'G-1', date: '2026-01-13', minutes: 45, duplicateOfLine: null } },
    { code: 'duplicate_delivery', severity: 'error', field: 'lines[3].date', values: { grantReference: 'G-1', date: '2026-01-13', minutes: 45, duplicateOfLine: 1 } },
  ],
  hours_beyond_log: [
    {
      code: 'hours_beyond_log',
      severity: 'error',
      field: 'lines[5].minutes',
      values: { grantReference: 'MS-2026-000001', invoiceLineNo: 1, invoicedMinutes: 360, loggedMinutes: 240, lineMinutes: 120 },
    },
  ],
  week_over_grant: [
    {
      code: 'week_over_grant',
      severity: 'error',
      field: 'lines[1].minutes',
      values: { week: '2026-W05', grantReference: 'G-1', invoicedMinutes: 150, earlierMinutes: 0, grantedMinutes: 120, excessMinutes: 30, lineMinutes: 60, approvableMinutes: 30 },
    },
  ],
  ceiling_passed: [
    { code: 'ceiling_passed', severity: 'error', values: { agreementId: 'a', ceilingOre: 1_000_000, consumedOre: 980_000, invoiceOre: 75_000, excessOre: 55_000 } },
    { code: 'ceiling_passed', severity: 'error', field: 'lines[1].amountOre', values: { agreementId: 'a', ceilingOre: 1_000_000, cutOre: 30_000 } },
  ],
  ceiling_warning: [{ code: 'ceiling_warning', severity: 'warning', values: { agreementId: 'a', percent: 80, spentOre: 810_000, ceilingOre: 1_000_000, consumedBeforeOre: 790_000 } }],
  net_total: [{ code: 'net_total', severity: 'error', field: 'netOre', values: { expected: 43_750, given: 43_700 } }],
  vat_total: [{ code: 'vat_total', severity: 'error', field: 'vatOre', values: { expected: 10_925, given: 10_937, netOre: 43_700, vatBasisPoints: 2_500 } }],
  invoice_total: [{ code: 'invoice_total', severity: 'error', field: 'totalOre', values: { expected: 54_637, given: 54_000 } }],
  minimum_contact_missing: [
    { code: 'minimum_contact_missing', severity: 'warning', values: { grantReference: 'G-1', week: '2026-W03', everyWeeks: 1, weeksWithoutContact: '2026-W03' } },
    { code: 'minimum_contact_missing', severity: 'warning', values: { grantReference: 'H-1', week: '2026-W05', everyWeeks: 2, weeksWithoutContact: '2026-W04,2026-W05' } },
  ],
  credit_unmatched: [{ code: 'credit_unmatched', severity: 'error', field: 'lines[1]', values: { grantReference: 'G-1', date: '2026-01-13', minutes: 45 }, approvableOre: 0 }],
};

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the findings catalogue', () => {
  it('has every key of every finding code in Danish and English, with the same placeholders', () => {
    for (const code of FINDING_CODES) {
      for (const key of FINDING_TEXT_KEYS[code]) {
        expect({ key, da: typeof catalogues.da[key] }).toEqual({ key, da: 'string' });
        expect({ key, en: typeof catalogues.en[key] }).toEqual({ key, en: 'string' });
        expect({ key, placeholders: placeholders(catalogues.en[key]) }).toEqual({ key, placeholders: placeholders(catalogues.da[key]) });
      }
    }
  });

  it('holds no finding text that no code uses', () => {
    const used = new Set(FINDING_CODES.flatMap((code) => FINDING_TEXT_KEYS[code]));
    for (const lang of ['da', 'en'] as const) {
      expect(Object.keys(catalogues[lang]).filter((key) => key.startsWith('finding.') && !used.has(key))).toEqual([]);
    }
  });

  it('tells every code and variant in both languages with every placeholder filled from the values', () => {
    for (const code of FINDING_CODES) {
      const samples = SAMPLES[code];
      // the samples reach every sentence the code has
      expect({ code, keys: [...new Set(samples.map(findingTextKey))].sort() }).toEqual({ code, keys: [...FINDING_TEXT_KEYS[code]].sort() });
      for (const finding of samples) {
        for (const lang of ['da', 'en'] as const) {
          const text = describeFinding(catalogues, lang, finding, { grantReference: 'G-1' });
          expect({ code, lang, text, left: placeholders(text) }).toEqual({ code, lang, text, left: [] });
        }
      }
    }
  });
});

describe('describeFinding', () => {
  it('shows øre in kroner in the language asked for and names the line from the field', () => {
    const [finding] = SAMPLES.rate_above_agreement;
    expect(describeFinding(catalogues, 'da', finding)).toBe('Linje 1: timeprisen 260,00 kr. er over aftalens 250,00 kr. den 2026-01-13; kun aftalens pris kan godkendes');
    expect(describeFinding(catalogues, 'en', finding)).toBe('Line 1: the rate DKK 260.00 is above the agreed DKK 250.00 on 2026-01-13; only the agreed rate can be approved');
  });

  it('takes the grant of a line’s finding from its line when the values do not name it', () => {
    const [ended] = SAMPLES.grant_not_active.slice(1);
    expect(describeFinding(catalogues, 'da', ended, { grantReference: 'MS-2026-000042' })).toBe('Linje 2: bevilling MS-2026-000042 sluttede 2026-10-04, før 2026-10-05');
  });

  it('tells a week run without contact from its first to its last week', () => {
    expect(describeFinding(catalogues, 'en', SAMPLES.minimum_contact_missing[1])).toBe(
      'Week 2026-W05: no contact on grant H-1 for 2 weeks (2026-W04 to 2026-W05); minimum contact is every 2 weeks',
    );
  });

  it('tells a finding stored with an older text from its code and values, not from that text', () => {
    const stored = { ...SAMPLES.duplicate_delivery[1], message: { da: 'gammel tekst', en: 'old text' } } as Finding;
    expect(findingWithText(catalogues, stored)).toEqual({
      code: 'duplicate_delivery',
      severity: 'error',
      field: 'lines[3].date',
      message: {
        da: 'Linje 3: 45 minutter den 2026-01-13 på bevilling G-1 er allerede faktureret på linje 1 på denne faktura',
        en: 'Line 3: 45 minutes on 2026-01-13 for grant G-1 are already invoiced on line 1 of this invoice',
      },
      values: { grantReference: 'G-1', date: '2026-01-13', minutes: 45, duplicateOfLine: 1 },
    });
  });
});
