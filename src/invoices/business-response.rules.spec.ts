import { FINDING_CODES, type Finding } from './finding';
import { INVOICE_STATUSES } from './invoice-lifecycle.rules';
import { reasonCodeOf, responseCodeFor, responseReasons, STATUS_REASON_CODES, type LineFindings } from './business-response.rules';

const finding = (code: Finding['code'], severity: Finding['severity'], values: Finding['values'] = {}): Finding => ({ code, severity, values });
const textOf = (f: Finding) => `${f.code}/${f.severity}`;

describe('responseCodeFor', () => {
  it('answers a decision: AP approved, CA partly approved, RE rejected', () => {
    expect(responseCodeFor('approved', 'approved')).toBe('AP');
    expect(responseCodeFor('partly_approved', 'partly_approved')).toBe('CA');
    expect(responseCodeFor('rejected', 'rejected')).toBe('RE');
  });

  it('answers a hold and a dispute with UQ (under query), whatever the state', () => {
    for (const status of INVOICE_STATUSES) {
      expect(responseCodeFor('held', status)).toBe('UQ');
      expect(responseCodeFor('disputed', status)).toBe('UQ');
    }
  });

  it('answers a release by the state the invoice returns to: AP, CA, or IP while it still awaits a decision', () => {
    expect(responseCodeFor('released', 'approved')).toBe('AP');
    expect(responseCodeFor('released', 'partly_approved')).toBe('CA');
    expect(responseCodeFor('released', 'validated')).toBe('IP');
  });
});

describe('reasonCodeOf', () => {
  it('gives every finding code a status reason from the OpenPeppol list', () => {
    for (const code of FINDING_CODES) expect(STATUS_REASON_CODES).toContain(reasonCodeOf(code));
  });

  it('names references, delivery, prices, quantity and legal reasons exactly', () => {
    expect(reasonCodeOf('grant_unknown')).toBe('REF');
    expect(reasonCodeOf('grant_not_active')).toBe('REF');
    expect(reasonCodeOf('agreement_unknown')).toBe('REF');
    expect(reasonCodeOf('credit_unmatched')).toBe('REF');
    expect(reasonCodeOf('date_in_future')).toBe('DEL');
    expect(reasonCodeOf('date_outside_grant')).toBe('DEL');
    expect(reasonCodeOf('date_before_activation')).toBe('DEL');
    expect(reasonCodeOf('date_outside_agreement')).toBe('DEL');
    expect(reasonCodeOf('minimum_contact_missing')).toBe('DEL');
    expect(reasonCodeOf('rate_missing')).toBe('PRI');
    expect(reasonCodeOf('rate_above_agreement')).toBe('PRI');
    expect(reasonCodeOf('rate_above_price_cap')).toBe('PRI');
    expect(reasonCodeOf('line_amount')).toBe('PRI');
    expect(reasonCodeOf('duplicate_delivery')).toBe('QTY');
    expect(reasonCodeOf('week_over_grant')).toBe('QTY');
    expect(reasonCodeOf('vat_total')).toBe('LEG');
    expect(reasonCodeOf('ceiling_passed')).toBe('OTH');
    expect(reasonCodeOf('ceiling_warning')).toBe('OTH');
    expect(reasonCodeOf('net_total')).toBe('OTH');
    expect(reasonCodeOf('invoice_total')).toBe('OTH');
  });
});

describe('responseReasons', () => {
  const invoiceFindings = [finding('ceiling_warning', 'warning', { percent: 80 }), finding('net_total', 'info')];
  const lines: LineFindings[] = [
    { lineNo: 1, findings: [] },
    { lineNo: 2, findings: [finding('week_over_grant', 'error', { overMinutes: 15 }), finding('minimum_contact_missing', 'info')] },
    { lineNo: 3, findings: [finding('rate_above_agreement', 'error'), finding('date_outside_grant', 'warning')] },
  ];

  it('gives an accepted invoice no reasons, whatever its findings or reason', () => {
    expect(responseReasons('AP', invoiceFindings, lines, textOf, 'Godkendt')).toEqual([]);
  });

  it('lists the free reason first, then the invoice’s and the lines’ errors and warnings in order; information stays out', () => {
    expect(responseReasons('RE', invoiceFindings, lines, textOf, '  Borgeren var syg  ')).toEqual([
      { code: 'OTH', text: 'Borgeren var syg' },
      { code: 'OTH', text: 'ceiling_warning/warning' },
      { code: 'QTY', text: 'week_over_grant/error', lineNo: 2 },
      { code: 'PRI', text: 'rate_above_agreement/error', lineNo: 3 },
      { code: 'DEL', text: 'date_outside_grant/warning', lineNo: 3 },
    ]);
  });

  it('leaves out a blank or missing free reason', () => {
    expect(responseReasons('CA', [], lines.slice(0, 2), textOf, '   ')).toEqual([{ code: 'QTY', text: 'week_over_grant/error', lineNo: 2 }]);
    expect(responseReasons('UQ', [], [], textOf, null)).toEqual([]);
  });

  it('stops at the maximum, the free reason counted', () => {
    const many: LineFindings[] = Array.from({ length: 60 }, (_, i) => ({ lineNo: i + 1, findings: [finding('duplicate_delivery', 'error')] }));
    const reasons = responseReasons('CA', [], many, textOf, 'Afventer');
    expect(reasons).toHaveLength(50);
    expect(reasons[0]).toEqual({ code: 'OTH', text: 'Afventer' });
    expect(reasons[49]).toEqual({ code: 'QTY', text: 'duplicate_delivery/error', lineNo: 49 });
    expect(responseReasons('RE', [], many, textOf, null, 3).map((r) => r.lineNo)).toEqual([1, 2, 3]);
  });
});
