import { supplierQuality } from './supplier-quality.rules';

describe('supplierQuality', () => {
  const report = supplierQuality({
    year: 2026,
    invoices: [
      // Q1: 3 findings on 600 minutes (10 hours) = 30.00 per 100 hours; 540 of 600 decided minutes approved = 90.0 %.
      { supplierId: 's-a', quarter: 1, findings: 3, invoicedMinutes: 600, decidedMinutes: 600, approvedMinutes: 540 },
      // Q3: 1 finding on 700 minutes = 1 × 6000 / 700 = 8.571… → 8.57; nothing decided yet.
      { supplierId: 's-a', quarter: 3, findings: 1, invoicedMinutes: 700, decidedMinutes: 0, approvedMinutes: 0 },
    ],
    reports: [
      { supplierId: 's-a', quarter: 1, reports: 2, late: 1 },
      { supplierId: 's-b', quarter: 2, reports: 1, late: 1 },
    ],
    suppliers: [
      { id: 's-a', name: 'Alfa', kind: 'mentor_supplier' },
      { id: 's-b', name: 'Beta', kind: 'mentor_supplier' },
    ],
  });

  it('gives each supplier its year: late reports, findings per 100 invoiced hours, share of hours approved', () => {
    // 4 findings × 6000 / 1,300 minutes = 18.46; 540 / 600 = 90.0 %.
    expect(report.suppliers[0]).toMatchObject({ supplierName: 'Alfa', progressReports: 2, lateProgressReports: 1, findings: 4, invoicedMinutes: 1_300, findingsPerHundredHours: 18.46, approvedPercent: 90, silentGrants: null });
    expect(report.suppliers[1]).toMatchObject({ supplierName: 'Beta', lateProgressReports: 1, findingsPerHundredHours: null, approvedPercent: null });
  });

  it('gives a trend per quarter', () => {
    expect(report.suppliers[0].quarters.map((q) => [q.quarter, q.findingsPerHundredHours, q.approvedPercent, q.lateProgressReports])).toEqual([
      [1, 30, 90, 1],
      [2, null, null, 0],
      [3, 8.57, null, 0],
      [4, null, null, 0],
    ]);
    expect(report.total).toMatchObject({ progressReports: 3, lateProgressReports: 2, findings: 4 });
  });
});
