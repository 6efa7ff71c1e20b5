import type { Role } from '../common/actor';
import type { NotificationPayloads, NotificationType } from '../common/notifications/notification-events';

/**
 * Who is told of each event, whether a user may turn it off, and where its link leads. Pure data: the relay
 * resolves an audience to users, the templates render the texts `notification.<type>.title` and `.body`.
 */
export type Audience =
  /** The users of the supplier named in the payload. */
  | { kind: 'supplier' }
  /** The caseworker who granted the grant named in the payload (every caseworker when that user is gone). */
  | { kind: 'caseworker' }
  /** Every active user of a staff role. */
  | { kind: 'role'; role: Role | 'team_leader' }
  /** A grant message: the side the payload's `to` names. */
  | { kind: 'grant_side' };

export const DELIVERIES = ['immediately', 'daily_digest', 'off'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export interface EventDefinition<T extends NotificationType> {
  audience: Audience;
  /**
   * What the law or the payment term needs a user to be told: it can be moved to the digest, never turned off.
   * The reason is shown beside the preference.
   */
  required: 'law' | 'payment_term' | null;
  /** The portal page the mail and the notification link to, for the recipient's side. */
  link(payload: NotificationPayloads[T], side: 'staff' | 'supplier'): string;
  /** A payload of this type, for the template check (every text renders with every value filled). */
  example: NotificationPayloads[T];
}

const GRANT = '0b7d5f1e-3f43-4b8e-9d5a-2f1c4e6a7b80';
const INVOICE = '5a1e2d3c-4b5a-4c6d-8e7f-901a2b3c4d5e';
const SUPPLIER = '7c2d4e6f-8a9b-4c1d-9e2f-3a4b5c6d7e8f';
const STATEMENT = '9e8d7c6b-5a4b-4c3d-8e1f-0a1b2c3d4e5f';
const AGREEMENT = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';

const grantPage = (p: { grantId: string }, side: 'staff' | 'supplier') => (side === 'supplier' ? `/supplier/grants/${p.grantId}` : `/grants/${p.grantId}`);
const supplierInvoice = (p: { invoiceId: string }) => `/supplier/invoices/${p.invoiceId}`;

export const EVENT_CATALOGUE: { [T in NotificationType]: EventDefinition<T> } = {
  'follow_up.due_soon': { audience: { kind: 'caseworker' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', due: '2026-12-02' } },
  // The job centre must follow up (LAB's follow-up duty): an overdue follow-up is always told.
  'follow_up.overdue': { audience: { kind: 'caseworker' }, required: 'law', link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', due: '2026-11-20' } },
  'evaluation.due_soon': { audience: { kind: 'caseworker' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', due: '2026-12-02' } },
  'evaluation.overdue': { audience: { kind: 'caseworker' }, required: 'law', link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', due: '2026-11-20' } },
  'progress_report.arrived': { audience: { kind: 'caseworker' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', dueDate: '2026-11-24', late: false } },
  'grant.silent': { audience: { kind: 'caseworker' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', silentWeeks: 4 } },
  'grant_proposal.approved': { audience: { kind: 'caseworker' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123' } },
  'grant_proposal.sent_back': { audience: { kind: 'caseworker' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123' } },
  'grant_proposals.waiting': { audience: { kind: 'role', role: 'team_leader' }, required: null, link: () => '/grants', example: { count: 3, oldestSubmittedOn: '2026-11-18' } },
  'invoice.approved': { audience: { kind: 'supplier' }, required: null, link: supplierInvoice, example: { invoiceId: INVOICE, invoiceNumber: 'F-2026-117', supplierId: SUPPLIER, approvedOre: 1_234_550 } },
  // A supplier is told why an invoice is not paid in full: the business response the e-invoicing rules expect.
  'invoice.partly_approved': { audience: { kind: 'supplier' }, required: 'law', link: supplierInvoice, example: { invoiceId: INVOICE, invoiceNumber: 'F-2026-117', supplierId: SUPPLIER, approvedOre: 900_000, totalOre: 1_234_550 } },
  'invoice.rejected': { audience: { kind: 'supplier' }, required: 'law', link: supplierInvoice, example: { invoiceId: INVOICE, invoiceNumber: 'F-2026-117', supplierId: SUPPLIER } },
  'invoice.held': { audience: { kind: 'supplier' }, required: 'law', link: supplierInvoice, example: { invoiceId: INVOICE, invoiceNumber: 'F-2026-117', supplierId: SUPPLIER } },
  'invoice.dispute_answered': { audience: { kind: 'supplier' }, required: null, link: supplierInvoice, example: { invoiceId: INVOICE, invoiceNumber: 'F-2026-117', supplierId: SUPPLIER, lineNo: 4 } },
  'progress_report.due_soon': { audience: { kind: 'supplier' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', supplierId: SUPPLIER, due: '2026-12-02' } },
  'progress_report.overdue': { audience: { kind: 'supplier' }, required: null, link: grantPage, example: { grantId: GRANT, grantReference: 'MS-2026-000123', supplierId: SUPPLIER, due: '2026-11-20' } },
  'statement.final': { audience: { kind: 'supplier' }, required: null, link: () => '/supplier/statements', example: { statementId: STATEMENT, statementNumber: 'AF-2026-000042', supplierId: SUPPLIER, month: '2026-10', dueOn: '2026-12-25' } },
  'payment.registered': { audience: { kind: 'supplier' }, required: null, link: () => '/supplier/statements', example: { statementId: STATEMENT, statementNumber: 'AF-2026-000042', supplierId: SUPPLIER, paidOn: '2026-12-20', amountOre: 4_567_800 } },
  'ceiling.mark_reached': { audience: { kind: 'role', role: 'procurement' }, required: null, link: (p) => `/procurement/agreements/${p.agreementId}`, example: { agreementId: AGREEMENT, agreementReference: 'RA-2026-01', mark: 90, percent: 91 } },
  'agreement.expiring': { audience: { kind: 'role', role: 'procurement' }, required: null, link: (p) => `/procurement/agreements/${p.agreementId}`, example: { agreementId: AGREEMENT, agreementReference: 'RA-2026-01', validTo: '2027-02-28', daysLeft: 90 } },
  'approvals.waiting': {
    audience: { kind: 'role', role: 'finance' },
    required: null,
    link: () => '/finance/invoices',
    example: { count: 2, oldest: [{ invoiceId: INVOICE, invoiceNumber: 'F-2026-117', receivedOn: '2026-11-02' }, { invoiceId: GRANT, invoiceNumber: 'F-2026-120', receivedOn: '2026-11-09' }] },
  },
  // Payment is due at most 30 days after an invoice is received.
  'invoice.disputed': { audience: { kind: 'role', role: 'finance' }, required: null, link: (p) => `/finance/invoices/${p.invoiceId}`, example: { invoiceId: INVOICE, invoiceNumber: 'F-2026-117', supplierId: SUPPLIER, lineNo: 4 } },
  'payment_term.ending': { audience: { kind: 'role', role: 'finance' }, required: 'payment_term', link: (p) => `/finance/invoices/${p.invoiceId}`, example: { invoiceId: INVOICE, invoiceNumber: 'F-2026-117', receivedOn: '2026-11-02', termEndsOn: '2026-12-02', businessDaysLeft: 5 } },
  'grant_message.received': {
    audience: { kind: 'grant_side' },
    required: null,
    link: (p, side) => `${grantPage(p, side)}#messages`,
    example: { grantId: GRANT, grantReference: 'MS-2026-000123', messageId: INVOICE, kind: 'no_show', to: 'caseworker', supplierId: SUPPLIER },
  },
};

export const NOTIFICATION_TYPES = Object.keys(EVENT_CATALOGUE) as NotificationType[];

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, value);
}

/** The delivery a user gets: their choice, except that what is required is never off (it goes to the digest). */
export function effectiveDelivery(type: NotificationType, chosen: Delivery | undefined): Delivery {
  const delivery = chosen ?? 'immediately';
  return delivery === 'off' && EVENT_CATALOGUE[type].required !== null ? 'daily_digest' : delivery;
}

/** The types a role can receive, for its preferences page. */
export function typesForRole(role: Role): NotificationType[] {
  return NOTIFICATION_TYPES.filter((type) => {
    const audience = EVENT_CATALOGUE[type].audience;
    switch (audience.kind) {
      case 'supplier':
        return role === 'supplier';
      case 'caseworker':
        return role === 'caseworker';
      case 'role':
        return audience.role === role;
      case 'grant_side':
        return role === 'supplier' || role === 'caseworker';
    }
  });
}
