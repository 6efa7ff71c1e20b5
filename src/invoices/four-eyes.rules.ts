import { approvalStep, needsTwoApprovers, type InvoiceStatus } from './invoice-lifecycle.rules';

/**
 * How far an invoice has come through the four-eyes approval, as the pages tell it. Pure rules over the
 * invoice's own facts and the threshold of the rule set in force at its period's end.
 */
export type ApprovalStage =
  /** Awaiting one approval (the amount being approved is at or under the threshold). */
  | 'awaiting_approval'
  /** Awaiting the first of two approvals. */
  | 'awaiting_first_of_two'
  /** The first approval is given; awaiting a second, different approver. */
  | 'awaiting_second_approver'
  /** Decided: the approvals are given (approved or partly approved, billed or paid since). */
  | 'decided'
  | 'rejected'
  /** Neither awaiting approval nor decided (a partner company's draft, a held invoice). */
  | 'other';

export interface ApprovalFacts {
  status: InvoiceStatus;
  /** While held: the state it returns to on release. */
  heldFrom: InvoiceStatus | null;
  submittedBy: string | null;
  firstApprovedBy: string | null;
  approvedBy: string | null;
  /** Set by the first of two approvals. */
  secondApprovalRequired: boolean;
  approvableOre: number;
  netOre: number;
}

const DECIDED: readonly InvoiceStatus[] = ['approved', 'partly_approved', 'billed', 'paid'];

/** The stage of an invoice; a held invoice is told by the state it returns to. */
export function approvalStage(facts: ApprovalFacts, thresholdOre: number): ApprovalStage {
  const status = facts.status === 'held' && facts.heldFrom !== null ? facts.heldFrom : facts.status;
  if (status === 'validated') {
    if (facts.firstApprovedBy !== null) return 'awaiting_second_approver';
    return facts.secondApprovalRequired || needsTwoApprovers(facts.approvableOre, thresholdOre) ? 'awaiting_first_of_two' : 'awaiting_approval';
  }
  if (DECIDED.includes(status)) return 'decided';
  if (status === 'rejected') return 'rejected';
  return 'other';
}

/** Whether two approvers took part: a first approval was recorded before the final one. */
export function twoApproversTookPart(facts: ApprovalFacts): boolean {
  return facts.firstApprovedBy !== null && facts.approvedBy !== null;
}

/**
 * Whether the viewer may approve now: a finance user, the invoice awaiting approval (not held, not decided),
 * not the one who registered it, not the first approver asking to give the second approval, and something to approve.
 */
export function mayApprove(facts: ApprovalFacts, thresholdOre: number, viewer: { userId: string | null; role: string | null }): boolean {
  if (viewer.role !== 'finance' || viewer.userId === null) return false;
  const decision = approvalStep(
    { status: facts.status, submittedBy: facts.submittedBy, firstApprovedBy: facts.firstApprovedBy, approvableOre: Math.abs(facts.approvableOre), netOre: Math.abs(facts.netOre), secondApproverThresholdOre: thresholdOre },
    viewer.userId,
  );
  return decision.ok;
}
