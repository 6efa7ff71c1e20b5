import type { ReportSupplier } from './report-supplier';
import { grantedMinutes, missedContactWeeks, supplierPerformance, type PerformanceGrant, type SupplierPerformanceInput } from './supplier-performance.rules';

const TODAY = '2026-11-25';

const SUPPLIERS: ReportSupplier[] = [
  { id: 'sup-a', name: 'Mentorhuset ApS', kind: 'mentor_supplier' },
  { id: 'sup-b', name: 'Byggefirma A/S', kind: 'partner_company' },
  { id: 'sup-c', name: 'Ørestad Mentor', kind: 'mentor_supplier' },
];

const granted = (supplierId: string, minutesPerWeek: number, start: string, end: string): PerformanceGrant => ({ supplierId, minutesPerWeek, start, end });

const INPUT: SupplierPerformanceInput = {
  year: 2026,
  today: TODAY,
  grants: [
    granted('sup-a', 60, '2026-09-01', '2026-10-31'), // 61 days → 522.86 → 523
    granted('sup-a', 60, '2026-09-01', '2026-11-15'), // 76 days → 651.43 → 651
    granted('sup-a', 60, '2026-09-01', '2026-11-20'), // 81 days → 694.29 → 694
    granted('sup-a', 90, '2026-12-01', '2027-05-31'), // starts after today: not measured
    granted('sup-b', 60, '2026-09-01', '2026-10-31'), // 523
    granted('sup-c', 120, '2026-03-02', '2026-08-31'), // 183 days → 3137.14 → 3137
    granted('sup-c', 150, '2026-03-02', '2026-08-31'), // 3921.43 → 3921
  ],
  deliveries: [
    { supplierId: 'sup-a', date: '2026-10-05', minutes: 60 },
    { supplierId: 'sup-a', date: '2026-10-12', minutes: 60 },
    { supplierId: 'sup-a', date: '2026-10-12', minutes: -60 }, // credited
    { supplierId: 'sup-a', date: '2026-10-05', minutes: 60 },
    { supplierId: 'sup-a', date: '2026-10-19', minutes: 60 },
    { supplierId: 'sup-a', date: '2026-10-07', minutes: 60 },
    { supplierId: 'sup-b', date: '2026-10-06', minutes: 60 },
    { supplierId: 'sup-b', date: '2026-10-13', minutes: 45 },
    { supplierId: 'sup-c', date: '2026-03-02', minutes: 120 },
    { supplierId: 'sup-c', date: '2026-06-10', minutes: 90 },
    { supplierId: 'sup-c', date: '2026-11-30', minutes: 30 }, // after the measured period
  ],
  invoices: [
    { supplierId: 'sup-a', invoices: 2, errors: 0, warnings: 2 },
    { supplierId: 'sup-b', invoices: 1, errors: 0, warnings: 0 },
    { supplierId: 'sup-c', invoices: 1, errors: 1, warnings: 0 },
  ],
  missedContacts: [
    { supplierId: 'sup-a', grantReference: 'MS-2026-000002', week: '2026-W42' },
    { supplierId: 'sup-a', grantReference: 'MS-2026-000004', week: '2026-W43' },
    // The same week again on a later invoice counts once.
    { supplierId: 'sup-a', grantReference: 'MS-2026-000002', week: '2026-W42' },
    // Weeks of other ISO years.
    { supplierId: 'sup-a', grantReference: 'MS-2026-000002', week: '2025-W52' },
    { supplierId: 'sup-c', grantReference: 'MS-2026-000006', week: '2027-W01' },
  ],
  suppliers: SUPPLIERS,
};

describe('grantedMinutes', () => {
  it('is minutes per week × the grant’s days inside the period / 7, rounded half up', () => {
    expect(grantedMinutes({ minutesPerWeek: 60, start: '2026-09-01', end: '2026-10-31' }, '2026-01-01', TODAY)).toBe(523);
    expect(grantedMinutes({ minutesPerWeek: 60, start: '2025-12-01', end: '2026-01-31' }, '2026-01-01', '2026-12-31')).toBe(266); // January only
    expect(grantedMinutes({ minutesPerWeek: 60, start: '2026-12-01', end: '2027-05-31' }, '2026-01-01', TODAY)).toBe(0);
  });
});

describe('missedContactWeeks', () => {
  it('counts distinct grant and week of the year per supplier', () => {
    expect(missedContactWeeks(INPUT.missedContacts, 2026)).toEqual(new Map([['sup-a', 2]]));
    expect(missedContactWeeks(INPUT.missedContacts, 2027)).toEqual(new Map([['sup-c', 1]]));
  });
});

describe('supplierPerformance', () => {
  it('sets delivered against granted minutes and counts findings per invoice and missed contacts, by supplier name', () => {
    const report = supplierPerformance(INPUT);
    expect(report).toMatchObject({ year: 2026, measuredFrom: '2026-01-01', measuredThrough: TODAY });
    expect(report.suppliers).toEqual([
      {
        supplierId: 'sup-b',
        supplierName: 'Byggefirma A/S',
        supplierKind: 'partner_company',
        grants: 1,
        grantedMinutes: 523,
        deliveredMinutes: 105,
        deliveredPercent: 20.1, // 20.076
        invoices: 1,
        errors: 0,
        warnings: 0,
        findingsPerInvoice: 0,
        missedMinimumContacts: 0,
        silentGrants: 0,
      },
      {
        supplierId: 'sup-a',
        supplierName: 'Mentorhuset ApS',
        supplierKind: 'mentor_supplier',
        grants: 3,
        grantedMinutes: 1_868,
        deliveredMinutes: 240,
        deliveredPercent: 12.8, // 12.848
        invoices: 2,
        errors: 0,
        warnings: 2,
        findingsPerInvoice: 1,
        missedMinimumContacts: 2,
        silentGrants: 0,
      },
      {
        supplierId: 'sup-c',
        supplierName: 'Ørestad Mentor',
        supplierKind: 'mentor_supplier',
        grants: 2,
        grantedMinutes: 7_058,
        deliveredMinutes: 210,
        deliveredPercent: 3, // 2.975
        invoices: 1,
        errors: 1,
        warnings: 0,
        findingsPerInvoice: 1,
        missedMinimumContacts: 0,
        silentGrants: 0,
      },
    ]);
    // 555 / 9 449 = 5.874 %; 3 findings on 4 invoices.
    expect(report.total).toEqual({ grants: 6, grantedMinutes: 9_449, deliveredMinutes: 555, deliveredPercent: 5.9, invoices: 4, errors: 1, warnings: 2, findingsPerInvoice: 0.75, missedMinimumContacts: 2, silentGrants: 0 });
  });

  it('measures a past year to 31 December, and a year not begun not at all', () => {
    expect(supplierPerformance({ ...INPUT, year: 2025 })).toMatchObject({ measuredThrough: '2025-12-31', total: { grantedMinutes: 0, deliveredMinutes: 0, deliveredPercent: null } });
    const ahead = supplierPerformance({ ...INPUT, year: 2027, invoices: [] });
    expect(ahead).toMatchObject({ measuredFrom: '2027-01-01', measuredThrough: null, total: { grants: 0, grantedMinutes: 0, missedMinimumContacts: 1, findingsPerInvoice: null } });
  });
});
