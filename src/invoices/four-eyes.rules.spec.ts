import { approvalStage, mayApprove, twoApproversTookPart, type ApprovalFacts } from './four-eyes.rules';

const THRESHOLD = 5_000_000;
const facts = (over: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
  status: 'validated',
  heldFrom: null,
  submittedBy: 'supplier-user',
  firstApprovedBy: null,
  approvedBy: null,
  secondApprovalRequired: false,
  approvableOre: 5_400_000,
  netOre: 5_400_000,
  ...over,
});
const finance = (userId: string) => ({ userId, role: 'finance' });

describe('approvalStage', () => {
  it('tells one approval, the first of two and the second apart by the amount being approved', () => {
    expect(approvalStage(facts({ approvableOre: 5_000_000 }), THRESHOLD)).toBe('awaiting_approval');
    expect(approvalStage(facts({ approvableOre: 5_000_001 }), THRESHOLD)).toBe('awaiting_first_of_two');
    // Invoiced above the threshold, but only 40.000,00 kr. can be approved: one approval.
    expect(approvalStage(facts({ netOre: 6_000_000, approvableOre: 4_000_000 }), THRESHOLD)).toBe('awaiting_approval');
    expect(approvalStage(facts({ firstApprovedBy: 'finance-1', secondApprovalRequired: true }), THRESHOLD)).toBe('awaiting_second_approver');
  });

  it('is decided after the second approval, never still awaiting a second approver', () => {
    const after = facts({ status: 'approved', firstApprovedBy: 'finance-1', approvedBy: 'finance-2', secondApprovalRequired: true });
    expect(approvalStage(after, THRESHOLD)).toBe('decided');
    expect(approvalStage({ ...after, status: 'partly_approved' }, THRESHOLD)).toBe('decided');
    expect(approvalStage({ ...after, status: 'paid' }, THRESHOLD)).toBe('decided');
    expect(twoApproversTookPart(after)).toBe(true);
    expect(twoApproversTookPart({ ...after, firstApprovedBy: null })).toBe(false);
  });

  it('tells a held invoice by the state it returns to, and a rejected one as rejected', () => {
    expect(approvalStage(facts({ status: 'held', heldFrom: 'validated', firstApprovedBy: 'finance-1' }), THRESHOLD)).toBe('awaiting_second_approver');
    expect(approvalStage(facts({ status: 'held', heldFrom: 'approved', approvedBy: 'finance-1' }), THRESHOLD)).toBe('decided');
    expect(approvalStage(facts({ status: 'rejected' }), THRESHOLD)).toBe('rejected');
    expect(approvalStage(facts({ status: 'draft' }), THRESHOLD)).toBe('other');
  });
});

describe('mayApprove', () => {
  it('offers the approval to a finance user who is neither the registering user nor the first approver', () => {
    expect(mayApprove(facts(), THRESHOLD, finance('finance-1'))).toBe(true);
    expect(mayApprove(facts({ submittedBy: 'finance-1' }), THRESHOLD, finance('finance-1'))).toBe(false);
    expect(mayApprove(facts({ firstApprovedBy: 'finance-1' }), THRESHOLD, finance('finance-1'))).toBe(false);
    expect(mayApprove(facts({ firstApprovedBy: 'finance-1' }), THRESHOLD, finance('finance-2'))).toBe(true);
  });

  it('offers nothing after the decision, while held, with nothing approvable, or to another role', () => {
    expect(mayApprove(facts({ status: 'approved', firstApprovedBy: 'finance-1', approvedBy: 'finance-2' }), THRESHOLD, finance('finance-3'))).toBe(false);
    expect(mayApprove(facts({ status: 'held', heldFrom: 'validated' }), THRESHOLD, finance('finance-1'))).toBe(false);
    expect(mayApprove(facts({ approvableOre: 0 }), THRESHOLD, finance('finance-1'))).toBe(false);
    expect(mayApprove(facts(), THRESHOLD, { userId: 'admin-1', role: 'admin' })).toBe(false);
    expect(mayApprove(facts(), THRESHOLD, { userId: null, role: 'finance' })).toBe(false);
  });
});
