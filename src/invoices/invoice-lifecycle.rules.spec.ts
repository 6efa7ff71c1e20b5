import { approvalStep, approvedLineStatus, canReject, deliveryTransitionProblem, invoiceContentHash, invoiceTransitionProblem, needsTwoApprovers, type ApprovalState } from './invoice-lifecycle.rules';
import type { ParsedInvoice } from './parsed-invoice';

const state = (over: Partial<ApprovalState> = {}): ApprovalState => ({
  status: 'validated',
  submittedBy: 'supplier-user',
  firstApprovedBy: null,
  netOre: 45_000,
  approvableOre: 45_000,
  secondApproverThresholdOre: 5_000_000,
  ...over,
});

describe('approvalStep', () => {
  it('approves in full when everything is approvable and the total is under the threshold', () => {
    expect(approvalStep(state(), 'finance-1')).toEqual({ ok: true, step: { kind: 'final', status: 'approved' } });
  });

  it('approves partly when only some of the net is approvable', () => {
    expect(approvalStep(state({ approvableOre: 22_500 }), 'finance-1')).toEqual({ ok: true, step: { kind: 'final', status: 'partly_approved' } });
  });

  it('refuses the user who registered the invoice', () => {
    expect(approvalStep(state({ submittedBy: 'finance-1' }), 'finance-1')).toMatchObject({ ok: false, conflict: false, detail: { rule: 'approver_not_submitter' } });
  });

  it('asks for a first approval when the amount being approved is above the threshold, then a different second approver', () => {
    const big = state({ netOre: 5_000_001, approvableOre: 5_000_001 });
    expect(approvalStep(big, 'finance-1')).toEqual({ ok: true, step: { kind: 'first_approval' } });
    expect(approvalStep({ ...big, firstApprovedBy: 'finance-1' }, 'finance-1')).toMatchObject({ ok: false, detail: { rule: 'second_approver_distinct' } });
    expect(approvalStep({ ...big, firstApprovedBy: 'finance-1' }, 'finance-2')).toEqual({ ok: true, step: { kind: 'final', status: 'approved' } });
  });

  it('needs one approver when exactly the threshold is approved', () => {
    expect(approvalStep(state({ netOre: 5_000_000, approvableOre: 5_000_000 }), 'finance-1')).toEqual({ ok: true, step: { kind: 'final', status: 'approved' } });
  });

  it('applies the threshold to the approvable amount, not the invoiced total', () => {
    // Invoiced 62.500,01 kr. incl. VAT (50.000,01 kr. net), of which 40.000,00 kr. can be approved: one approver.
    const cut = state({ netOre: 5_000_001, approvableOre: 4_000_000 });
    expect(approvalStep(cut, 'finance-1')).toEqual({ ok: true, step: { kind: 'final', status: 'partly_approved' } });
    // Invoiced 49.999,99 kr. net (62.499,99 kr. incl. VAT, above the threshold as a total): still one approver.
    expect(approvalStep(state({ netOre: 4_999_999, approvableOre: 4_999_999 }), 'finance-1')).toEqual({ ok: true, step: { kind: 'final', status: 'approved' } });
    // One øre over the threshold approvable: two approvers.
    expect(approvalStep(state({ netOre: 6_000_000, approvableOre: 5_000_001 }), 'finance-1')).toEqual({ ok: true, step: { kind: 'first_approval' } });
  });

  it('compares a credit note by the size of what it approves', () => {
    expect(needsTwoApprovers(-5_000_001, 5_000_000)).toBe(true);
    expect(needsTwoApprovers(-5_000_000, 5_000_000)).toBe(false);
    expect(needsTwoApprovers(5_000_000, 5_000_000)).toBe(false);
    expect(needsTwoApprovers(5_000_001, 5_000_000)).toBe(true);
  });

  it('answers a conflict for an invoice that is not awaiting approval, and refuses one with nothing approvable', () => {
    for (const status of ['approved', 'partly_approved', 'rejected', 'billed', 'draft'] as const) {
      expect(approvalStep(state({ status }), 'finance-1')).toMatchObject({ ok: false, conflict: true, detail: { rule: 'awaiting_approval', values: { status } } });
    }
    expect(approvalStep(state({ approvableOre: 0 }), 'finance-1')).toMatchObject({ ok: false, conflict: false, detail: { rule: 'nothing_approvable' } });
  });
});

describe('line and invoice states', () => {
  it('approves a line in full, in part or not at all', () => {
    expect(approvedLineStatus(45_000, 45_000)).toBe('approved');
    expect(approvedLineStatus(45_000, 22_500)).toBe('partly_approved');
    expect(approvedLineStatus(45_000, 0)).toBe('rejected');
    expect(approvedLineStatus(-45_000, -45_000)).toBe('approved');
  });

  it('rejects only a validated invoice', () => {
    expect(canReject('validated')).toBe(true);
    expect(['draft', 'received', 'approved', 'partly_approved', 'rejected', 'billed'].map((s) => canReject(s as never))).toEqual([false, false, false, false, false, false]);
  });
});

describe('invoiceContentHash', () => {
  const invoice: Pick<ParsedInvoice, 'documentType' | 'issueDate' | 'lines' | 'totals' | 'billingReferences'> = {
    documentType: 'invoice',
    issueDate: '2026-11-20',
    billingReferences: [],
    totals: { netOre: 45_000, vatOre: 11_250, totalOre: 56_250 },
    lines: [{ lineNo: 1, grantReference: 'MS-2026-000001', date: '2026-10-05', minutes: 60, quantityText: '1', unitCode: 'HUR', rateOre: 45_000, amountOre: 45_000, contactForm: 'phone', description: 'a' }],
  };

  it('is the same for the same claim however it was written, and differs when a number differs', () => {
    const same = invoiceContentHash({ ...invoice, lines: [{ ...invoice.lines[0], quantityText: '60', unitCode: 'MIN', description: 'other words' }] });
    expect(invoiceContentHash(invoice)).toBe(same);
    expect(invoiceContentHash(invoice)).toMatch(/^[0-9a-f]{64}$/);
    expect(invoiceContentHash({ ...invoice, lines: [{ ...invoice.lines[0], minutes: 61 }] })).not.toBe(same);
    expect(invoiceContentHash({ ...invoice, totals: { netOre: 45_000, vatOre: 11_251, totalOre: 56_251 } })).not.toBe(same);
  });
});

describe('invoice and delivery transitions', () => {
  it('lets finance decide a validated invoice and the system bill an approved one, and nothing else', () => {
    expect(invoiceTransitionProblem('validated', 'approved', 'finance')).toBeNull();
    expect(invoiceTransitionProblem('validated', 'validated', 'finance')).toBeNull();
    expect(invoiceTransitionProblem('draft', 'validated', 'supplier')).toBeNull();
    expect(invoiceTransitionProblem('partly_approved', 'billed', 'system')).toBeNull();
    expect(invoiceTransitionProblem('rejected', 'approved', 'finance')).toEqual({
      field: 'status',
      rule: 'invoice_transition',
      message: 'a invoice that is rejected cannot become approved (rejected is final)',
      values: { from: 'rejected', to: 'approved' },
    });
    expect(invoiceTransitionProblem('billed', 'validated', 'finance')?.rule).toBe('invoice_transition');
    expect(invoiceTransitionProblem('validated', 'billed', 'system')).toMatchObject({ rule: 'invoice_transition', values: { from: 'validated', to: 'billed' } });
    expect(invoiceTransitionProblem('validated', 'approved', 'supplier')).toMatchObject({ rule: 'invoice_transition_role', values: { from: 'validated', to: 'approved', role: 'supplier' } });
    expect(invoiceTransitionProblem('draft', 'validated', 'finance')).toMatchObject({ rule: 'invoice_transition_role', values: { role: 'finance' } });
  });

  it('moves a delivery from draft to pending by its company, decides it once, and credits only an approved one', () => {
    expect(deliveryTransitionProblem('draft', 'pending', 'supplier')).toBeNull();
    expect(deliveryTransitionProblem('pending', 'partly_approved', 'finance')).toBeNull();
    expect(deliveryTransitionProblem('approved', 'credited', 'finance')).toBeNull();
    expect(deliveryTransitionProblem('pending', 'credited', 'finance')).toMatchObject({ rule: 'delivery_transition', values: { from: 'pending', to: 'credited' } });
    expect(deliveryTransitionProblem('rejected', 'pending', 'supplier')?.rule).toBe('delivery_transition');
    expect(deliveryTransitionProblem('pending', 'approved', 'supplier')).toMatchObject({ rule: 'delivery_transition_role', values: { role: 'supplier' } });
  });
});
