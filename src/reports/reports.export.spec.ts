import { toCsv } from '../common/export/table-export';
import { budgetReport } from './budget.rules';
import type { ReportSupplier } from './report-supplier';
import { BUDGET_COLUMNS, budgetTable, PERFORMANCE_COLUMNS, SPEND_COLUMNS, spendTable, supplierPerformanceTable } from './reports.export';
import { spendReport } from './spend.rules';
import { supplierPerformance } from './supplier-performance.rules';

const HOSTILE = '=HYPERLINK("http://evil.example","Klik")';
const SUPPLIERS: ReportSupplier[] = [
  { id: 'sup-a', name: HOSTILE, kind: 'mentor_supplier' },
  { id: 'sup-b', name: 'Byggefirma A/S', kind: 'partner_company' },
];

const lines = (csv: string): string[] => csv.replace(/^\ufeff/, '').trimEnd().split('\r\n');

describe('budgetTable', () => {
  const report = budgetReport({
    year: 2026,
    today: '2026-11-25',
    budget: { budgetOre: 1_000_000, frameOre: 300_000 },
    deliveries: [
      { date: '2026-10-05', approvedOre: 45_000, mentorType: 'retention', supplierId: 'sup-a' },
      { date: '2026-10-06', approvedOre: 25_000, mentorType: 'company', supplierId: 'sup-b' },
    ],
    grants: [],
    suppliers: SUPPLIERS,
  });

  it('has a row per month and one for the year for the total, each mentor type and each supplier; budget and frame on the year’s total', () => {
    const table = budgetTable(report);
    expect(table.columns).toEqual(BUDGET_COLUMNS);
    // (12 months + the year) × (total, 2 mentor types, 2 suppliers)
    expect(table.rows).toHaveLength(13 * 5);
    expect(table.rows[9]).toEqual(['total', 'total', 'I alt', '2026-10', 70_000, 0, 70_000, '700,00 kr.', null, null]);
    expect(table.rows[12]).toEqual(['total', 'total', 'I alt', '2026', 70_000, 0, 70_000, '700,00 kr.', 1_000_000, 300_000]);
    expect(table.rows[25]).toEqual(['mentor_type', 'retention', 'Fastholdelsesmentor', '2026', 45_000, 0, 45_000, '450,00 kr.', null, null]);
    const csv = lines(toCsv(table));
    expect(csv[0]).toBe('dimension;key;name;period;spent_ore;committed_ore;forecast_ore;forecast_kr;budget_ore;frame_ore');
    expect(csv).toContain('supplier;sup-a;"\'=HYPERLINK(""http://evil.example"",""Klik"")";2026;45000;0;45000;450,00 kr.;;');
  });
});

describe('spendTable', () => {
  it('lists mentor types, suppliers, supplier kinds and the total, with the supplier name neutralised in the CSV', () => {
    const report = spendReport({
      year: 2026,
      deliveries: [
        { citizenId: 'c1', mentorType: 'retention', supplierId: 'sup-a', approvedOre: 45_000 },
        { citizenId: 'c2', mentorType: 'retention', supplierId: 'sup-a', approvedOre: 20_001 },
        { citizenId: 'c3', mentorType: 'company', supplierId: 'sup-b', approvedOre: 25_000 },
      ],
      grants: [],
      suppliers: SUPPLIERS,
    });
    const table = spendTable(report);
    expect(table.columns).toEqual(SPEND_COLUMNS);
    expect(table.rows).toEqual([
      ['mentor_type', 'retention', 'Fastholdelsesmentor', null, 65_001, '650,01 kr.', 2, 32_501, '325,01 kr.'],
      ['mentor_type', 'company', 'Virksomhedsmentor', null, 25_000, '250,00 kr.', 1, 25_000, '250,00 kr.'],
      ['supplier', 'sup-a', HOSTILE, 'mentor_supplier', 65_001, '650,01 kr.', 2, 32_501, '325,01 kr.'],
      ['supplier', 'sup-b', 'Byggefirma A/S', 'partner_company', 25_000, '250,00 kr.', 1, 25_000, '250,00 kr.'],
      ['supplier_kind', 'mentor_supplier', 'External mentor supplier under a framework agreement (ekstern leverandør)', 'mentor_supplier', 65_001, '650,01 kr.', 2, 32_501, '325,01 kr.'],
      ['supplier_kind', 'partner_company', 'Company releasing an employee as mentor under a partnership agreement (virksomhedsmentor, frikøb)', 'partner_company', 25_000, '250,00 kr.', 1, 25_000, '250,00 kr.'],
      ['supplier_kind', 'education_institution', 'Education institution under a framework agreement (uddannelsesinstitution)', 'education_institution', 0, '0,00 kr.', 0, null, null],
      ['supplier_kind', 'internal', 'Another municipal department, settled internally (intern leverandør)', 'internal', 0, '0,00 kr.', 0, null, null],
      ['total', 'total', 'I alt 2026', null, 90_001, '900,01 kr.', 3, 30_000, '300,00 kr.'],
    ]);
    const csv = lines(toCsv(table));
    expect(csv[0]).toBe('dimension;key;name;supplier_kind;amount_ore;amount_kr;citizens;average_per_citizen_ore;average_per_citizen_kr');
    expect(csv[3]).toBe('supplier;sup-a;"\'=HYPERLINK(""http://evil.example"",""Klik"")";mentor_supplier;65001;650,01 kr.;2;32501;325,01 kr.');
  });
});

describe('supplierPerformanceTable', () => {
  it('writes shares and ratios as Danish decimals and ends with the total', () => {
    const report = supplierPerformance({
      year: 2026,
      today: '2026-11-25',
      grants: [{ supplierId: 'sup-a', minutesPerWeek: 60, start: '2026-09-01', end: '2026-10-31' }],
      deliveries: [{ supplierId: 'sup-a', date: '2026-10-05', minutes: 67 }],
      invoices: [{ supplierId: 'sup-a', invoices: 3, errors: 1, warnings: 1 }],
      missedContacts: [],
      suppliers: SUPPLIERS,
    });
    const table = supplierPerformanceTable(report);
    expect(table.columns).toEqual(PERFORMANCE_COLUMNS);
    // 67 / 523 = 12.81 %; 2 findings / 3 invoices = 0.67.
    expect(table.rows).toEqual([
      ['sup-a', HOSTILE, 'mentor_supplier', 1, 523, 67, '12,8', 3, 1, 1, '0,67', 0, 0],
      ['total', 'I alt 2026', null, 1, 523, 67, '12,8', 3, 1, 1, '0,67', 0, 0],
    ]);
    expect(lines(toCsv(table))[0]).toBe('supplier_id;supplier;supplier_kind;grants;granted_minutes;delivered_minutes;delivered_percent;invoices;errors;warnings;findings_per_invoice;missed_minimum_contacts;silent_grants');
  });
});
