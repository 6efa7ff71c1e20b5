import type { EntityManager } from 'typeorm';
import type { CalendarDate } from '../time/calendar-date';

/**
 * What happened, for the notifications module to tell the people concerned. A module publishes an event at its
 * decision point, in the transaction of the state change (the event is written to an outbox table there), and
 * never learns who is told or how: the notifications module resolves the recipients, their languages and
 * preferences, and sends mail and in-portal notifications after the commit.
 *
 * A payload holds no personal data: no CPR number, no citizen name, no free text a user wrote (a rejection
 * reason or a finding may name a citizen). A grant is named by its reference, an invoice by its number, and the
 * mail links into the portal, where the reader's access decides what is shown.
 */
export interface NotificationPayloads {
  // ---- caseworker ----
  /** A follow-up (progress report date) is due within the reminder horizon (7 days). */
  'follow_up.due_soon': { grantId: string; grantReference: string; due: CalendarDate };
  'follow_up.overdue': { grantId: string; grantReference: string; due: CalendarDate };
  /** The effect evaluation before the period ends. */
  'evaluation.due_soon': { grantId: string; grantReference: string; due: CalendarDate };
  'evaluation.overdue': { grantId: string; grantReference: string; due: CalendarDate };
  'progress_report.arrived': { grantId: string; grantReference: string; dueDate: CalendarDate; late: boolean };
  /** No session registered or invoiced on an active grant for a number of weeks. */
  'grant.silent': { grantId: string; grantReference: string; silentWeeks: number };
  'grant_proposal.approved': { grantId: string; grantReference: string };
  'grant_proposal.sent_back': { grantId: string; grantReference: string };
  // ---- team leader ----
  'grant_proposals.waiting': { count: number; oldestSubmittedOn: CalendarDate };
  // ---- supplier ----
  'invoice.approved': { invoiceId: string; invoiceNumber: string; supplierId: string; approvedOre: number };
  /** `totalOre` is what was invoiced and `approvedOre` what was approved, both excluding VAT. */
  'invoice.partly_approved': { invoiceId: string; invoiceNumber: string; supplierId: string; approvedOre: number; totalOre: number };
  'invoice.rejected': { invoiceId: string; invoiceNumber: string; supplierId: string };
  'invoice.held': { invoiceId: string; invoiceNumber: string; supplierId: string };
  'invoice.dispute_answered': { invoiceId: string; invoiceNumber: string; supplierId: string; lineNo: number };
  'progress_report.due_soon': { grantId: string; grantReference: string; supplierId: string; due: CalendarDate };
  'progress_report.overdue': { grantId: string; grantReference: string; supplierId: string; due: CalendarDate };
  'statement.final': { statementId: string; statementNumber: string; supplierId: string; month: string; dueOn: CalendarDate };
  'payment.registered': { statementId: string; statementNumber: string; supplierId: string; paidOn: CalendarDate; amountOre: number };
  // ---- procurement ----
  'ceiling.mark_reached': { agreementId: string; agreementReference: string; mark: number; percent: number };
  'agreement.expiring': { agreementId: string; agreementReference: string; validTo: CalendarDate; daysLeft: number };
  // ---- finance ----
  'approvals.waiting': { count: number; oldest: Array<{ invoiceId: string; invoiceNumber: string; receivedOn: CalendarDate }> };
  /** A supplier disputes the findings of an invoice line. */
  'invoice.disputed': { invoiceId: string; invoiceNumber: string; supplierId: string; lineNo: number };
  'payment_term.ending': { invoiceId: string; invoiceNumber: string; receivedOn: CalendarDate; termEndsOn: CalendarDate; businessDaysLeft: number };
  // ---- both sides of a grant ----
  'grant_message.received': { grantId: string; grantReference: string; messageId: string; kind: GrantMessageKind; to: 'caseworker' | 'supplier'; supplierId: string };
}

export type NotificationType = keyof NotificationPayloads;

export const GRANT_MESSAGE_KINDS = ['question', 'answer', 'no_show', 'absence'] as const;
export type GrantMessageKind = (typeof GRANT_MESSAGE_KINDS)[number];

/** One event: its type, its payload, and the key that makes it happen once (a second publish with the key is ignored). */
export interface NotificationEvent<T extends NotificationType = NotificationType> {
  type: T;
  /**
   * Unique per event: what it is about and which occurrence (`invoice.rejected:<invoiceId>`,
   * `follow_up.due_soon:<grantId>:<due>`). Mails are keyed by it and the recipient, so an event is told once.
   */
  key: string;
  payload: NotificationPayloads[T];
}

/**
 * The port the modules publish through, declared here below every business module and implemented by the
 * notifications module, so that no lower module imports a higher one.
 */
export abstract class NotificationEvents {
  /** Writes the events in the caller's transaction; they are told after it commits, each once. */
  abstract publish(manager: EntityManager, events: readonly NotificationEvent[]): Promise<void>;
}

/** Builds an event with its payload type checked against its type. */
export function notificationEvent<T extends NotificationType>(type: T, key: string, payload: NotificationPayloads[T]): NotificationEvent<T> {
  return { type, key: `${type}:${key}`, payload };
}
