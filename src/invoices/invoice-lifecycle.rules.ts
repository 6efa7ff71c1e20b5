import { createHash } from 'node:crypto';
import type { ErrorDetail } from '../common/errors/domain.exception';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import type { ContactForm, TransportKind } from './parsed-invoice';

/**
 * The invoice lifecycle: received → validated → approved / partly approved / rejected (→ billed → paid).
 * A partner company's hour registrations collect in a draft until it is submitted. Pure rules.
 */
export const INVOICE_STATUSES = ['draft', 'received', 'validated', 'approved', 'partly_approved', 'rejected', 'billed', 'held', 'paid'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const DELIVERY_STATUSES = ['draft', 'pending', 'approved', 'partly_approved', 'rejected', 'credited'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Every change of an invoice's state after it is stored. An invoice is stored validated (intake validates it
 * in the transaction that stores it) or, a partner company's month, as a draft. The first of two approvals
 * keeps it validated (validated → validated, recording the first approver); billing marks it billed once a
 * final statement has paid all its approved deliveries. Finance may hold an invoice that is not yet decided or
 * not yet billed: it is then neither approved nor billed, and its release (by finance, or by the system when the
 * release date has passed) returns it to the state it was held from. The store writes states only through this table.
 */
export const INVOICE_TRANSITIONS: readonly Transition<InvoiceStatus>[] = [
  { from: 'draft', to: 'validated', roles: ['supplier'] },
  { from: 'validated', to: 'validated', roles: ['finance'] },
  { from: 'validated', to: 'approved', roles: ['finance'] },
  { from: 'validated', to: 'partly_approved', roles: ['finance'] },
  { from: 'validated', to: 'rejected', roles: ['finance'] },
  { from: 'approved', to: 'billed', roles: ['finance', 'system'] },
  { from: 'partly_approved', to: 'billed', roles: ['finance', 'system'] },
  { from: 'validated', to: 'held', roles: ['finance'] },
  { from: 'approved', to: 'held', roles: ['finance'] },
  { from: 'partly_approved', to: 'held', roles: ['finance'] },
  { from: 'held', to: 'validated', roles: ['finance', 'system'] },
  { from: 'held', to: 'approved', roles: ['finance', 'system'] },
  { from: 'held', to: 'partly_approved', roles: ['finance', 'system'] },
  // The finance system's payment, imported by finance or its service account, of the statement(s) that billed it.
  { from: 'billed', to: 'paid', roles: ['finance', 'service'] },
];

/** The states an invoice can be held from, and so returns to on release. */
export const HOLDABLE_STATUSES = ['validated', 'approved', 'partly_approved'] as const;
export type HoldableStatus = (typeof HOLDABLE_STATUSES)[number];

/**
 * Every change of a delivery's state. A registered session stays a draft (revalidated with each registration)
 * until its month is submitted; the invoice's final approval decides each pending line; its rejection rejects
 * them all; an approved credit note credits the sessions it reverses.
 */
export const DELIVERY_TRANSITIONS: readonly Transition<DeliveryStatus>[] = [
  { from: 'draft', to: 'draft', roles: ['supplier'] },
  { from: 'draft', to: 'pending', roles: ['supplier'] },
  { from: 'pending', to: 'approved', roles: ['finance'] },
  { from: 'pending', to: 'partly_approved', roles: ['finance'] },
  { from: 'pending', to: 'rejected', roles: ['finance'] },
  { from: 'approved', to: 'credited', roles: ['finance'] },
  { from: 'partly_approved', to: 'credited', roles: ['finance'] },
];

/** Why `role` may not move an invoice from `from` to `to`, or null. */
export function invoiceTransitionProblem(from: InvoiceStatus, to: InvoiceStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('invoice', INVOICE_TRANSITIONS, from, to, role);
}

/** Why `role` may not move a delivery from `from` to `to`, or null. */
export function deliveryTransitionProblem(from: DeliveryStatus, to: DeliveryStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('delivery', DELIVERY_TRANSITIONS, from, to, role);
}

export interface ApprovalState {
  status: InvoiceStatus;
  submittedBy: string | null;
  firstApprovedBy: string | null;
  /** What can be approved of the invoice, excl. VAT: the amount an approval approves, compared with the rule set's threshold. */
  approvableOre: number;
  netOre: number;
  secondApproverThresholdOre: number;
}

export type ApprovalStep =
  | { kind: 'first_approval' }
  | { kind: 'final'; status: 'approved' | 'partly_approved' };

export type ApprovalDecision = { ok: true; step: ApprovalStep } | { ok: false; conflict: boolean; detail: ErrorDetail };

/**
 * What an approval by `approverId` does: the approver is never the submitter; when the amount being approved
 * (the approvable amount, not the invoiced total) is above the threshold, two different approvers are needed; only the approvable amounts are approved, so an invoice with nothing
 * approvable is rejected, not approved.
 */
export function approvalStep(state: ApprovalState, approverId: string): ApprovalDecision {
  if (state.status !== 'validated') {
    return { ok: false, conflict: true, detail: { field: 'status', rule: 'awaiting_approval', message: `the invoice is ${state.status}; only a validated invoice can be approved`, values: { status: state.status } } };
  }
  if (state.submittedBy !== null && state.submittedBy === approverId) {
    return { ok: false, conflict: false, detail: { field: 'approver', rule: 'approver_not_submitter', message: 'the user who registered the invoice cannot approve it' } };
  }
  if (state.firstApprovedBy !== null && state.firstApprovedBy === approverId) {
    return { ok: false, conflict: false, detail: { field: 'approver', rule: 'second_approver_distinct', message: 'the second approval must come from another finance user than the first' } };
  }
  if (state.approvableOre <= 0) {
    return { ok: false, conflict: false, detail: { field: 'approvableOre', rule: 'nothing_approvable', message: 'nothing on the invoice can be approved; reject it with a reason instead', values: { approvableOre: state.approvableOre } } };
  }
  if (needsTwoApprovers(state.approvableOre, state.secondApproverThresholdOre) && state.firstApprovedBy === null) return { ok: true, step: { kind: 'first_approval' } };
  return { ok: true, step: { kind: 'final', status: state.approvableOre === state.netOre ? 'approved' : 'partly_approved' } };
}

/** Four eyes: an approval of more than the threshold needs two approvers. The amount is what is being approved. */
export function needsTwoApprovers(approvableOre: number, thresholdOre: number): boolean {
  return Math.abs(approvableOre) > thresholdOre;
}

/** Whether an invoice in this state can be rejected. */
export function canReject(status: InvoiceStatus): boolean {
  return status === 'validated';
}

/** A delivery's state once its invoice is approved: all, part or nothing of its amount. */
export function approvedLineStatus(amountOre: number, approvableOre: number): 'approved' | 'partly_approved' | 'rejected' {
  if (approvableOre === 0) return 'rejected';
  return approvableOre === amountOre ? 'approved' : 'partly_approved';
}

/** What of a line its invoice's fingerprint is taken of. */
export interface HashedLine {
  grantReference: string | null;
  date: string | null;
  minutes: number | null;
  rateOre: number;
  amountOre: number;
  contactForm: ContactForm | null;
  transport?: TransportKind | null;
}

/** What an invoice's fingerprint is taken of: a received invoice, or a format's reading of one. */
export interface HashedInvoice<L extends HashedLine = HashedLine> {
  documentType: 'invoice' | 'credit_note';
  issueDate: string;
  billingReferences: readonly string[];
  totals: { netOre: number; vatOre: number; totalOre: number } | null;
  lines: readonly L[];
}

/**
 * A fingerprint of what an invoice claims (not how it was sent), so the same invoice sent again is
 * recognised and the same number with other content is not.
 */
export function invoiceContentHash<L extends HashedLine>(invoice: HashedInvoice<L>): string {
  const canonical = {
    documentType: invoice.documentType,
    issueDate: invoice.issueDate,
    billingReferences: [...invoice.billingReferences].sort(),
    totals: invoice.totals,
    lines: invoice.lines.map((line) => [line.grantReference, line.date, line.minutes, line.rateOre, line.amountOre, line.contactForm, line.transport ?? null]),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
