import type { Finding } from './finding';
import type { ReceivedInvoice, ReceivedLine } from './received-invoice';
import { settleInvoice, type Decision } from './validated-invoice';

const line = (lineNo: number, amountOre: number): ReceivedLine => ({
  lineNo,
  grantReference: 'MS-2026-000123',
  date: '2026-10-05',
  minutes: 60,
  rateOre: amountOre,
  amountOre,
  contactForm: null,
  transport: null,
  description: null,
});

const invoice = (patch: Partial<ReceivedInvoice> = {}): ReceivedInvoice => ({
  source: 'portal',
  documentType: 'invoice',
  invoiceNumber: 'F-1',
  issueDate: '2026-11-20',
  currency: 'DKK',
  seller: { cvr: null, gln: null, name: null },
  period: { from: '2026-10-05', to: '2026-10-05' },
  lines: [line(1, 45_000), line(2, 22_500)],
  totals: null,
  billingReferences: [],
  ...patch,
});

const over: Finding = { code: 'week_over_grant', severity: 'error', field: 'lines[2].minutes', values: {} };
const contact: Finding = { code: 'minimum_contact_missing', severity: 'warning', values: {} };

const decision = (patch: Partial<Decision> = {}): Decision => ({
  lines: [
    { approvableOre: 45_000, findings: [] },
    { approvableOre: 11_250, findings: [over] },
  ],
  findings: [contact],
  vatBasisPoints: 2_500,
  grantIds: new Map([['MS-2026-000123', 'g-1']]),
  pendingByAgreement: new Map([['a-1', 56_250]]),
  ...patch,
});

describe('settleInvoice', () => {
  it('sums the lines, adds VAT at the rate and counts the findings, when the invoice states no totals', () => {
    const settled = settleInvoice(invoice(), decision());
    expect(settled).toMatchObject({ netOre: 67_500, vatOre: 16_875, totalOre: 84_375, approvableOre: 56_250, errorCount: 1, warningCount: 1, vatBasisPoints: 2_500, findings: [contact] });
    expect(settled.lines.map((l) => [l.line.lineNo, l.grantId, l.approvableOre, l.findings.length, l.creditsDeliveryId])).toEqual([
      [1, 'g-1', 45_000, 0, null],
      [2, 'g-1', 11_250, 1, null],
    ]);
  });

  it('keeps the totals an invoice states (the rules check them), and makes a credit note’s amounts negative', () => {
    expect(settleInvoice(invoice({ totals: { netOre: 67_500, vatOre: 16_874, totalOre: 84_374 } }), decision())).toMatchObject({ netOre: 67_500, vatOre: 16_874, totalOre: 84_374 });
    const credit = settleInvoice(
      invoice({ documentType: 'credit_note', lines: [line(1, 45_000)] }),
      decision({ lines: [{ approvableOre: -45_000, findings: [], deliveryId: 'd-7' }], findings: [], pendingByAgreement: new Map() }),
    );
    expect(credit).toMatchObject({ netOre: -45_000, vatOre: -11_250, totalOre: -56_250, approvableOre: -45_000, errorCount: 0, warningCount: 0 });
    expect(credit.lines[0].creditsDeliveryId).toBe('d-7');
  });
});
