import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import type { CalendarDate } from '../common/time/calendar-date';
import type { CreditCandidate } from './credit-note.rules';
import { deliveryTransitionProblem, type DeliveryStatus } from './invoice-lifecycle.rules';
import type { Finding } from './finding';
import type { Delivery } from './invoice-validation.rules';
import type { ContactForm, TransportKind } from './parsed-invoice';

export interface DeliveryRow {
  id: string;
  invoiceId: string;
  lineNo: number;
  kind: 'session' | 'credit';
  grantId: string | null;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  contactForm: ContactForm | null;
  transport: TransportKind | null;
  rateOre: number;
  amountOre: number;
  approvableOre: number;
  approvedOre: number | null;
  status: DeliveryStatus;
  findings: Finding[];
  description: string | null;
  creditsDeliveryId: string | null;
  /** On the deliveries a monthly line became when matched against the session log: that line's number on the invoice. */
  invoiceLineNo?: number | null;
  /** An hour registration's partner employee (an anonymous reference) and that employee's rate in force on the day. */
  employeeRef?: string | null;
  employeeRateOre?: number | null;
}

interface DeliveryRecord {
  id: string;
  invoice_id: string;
  line_no: number;
  kind: 'session' | 'credit';
  grant_id: string | null;
  grant_reference: string;
  delivered_on: string;
  minutes: number;
  contact_form: ContactForm | null;
  transport: TransportKind | null;
  rate_ore: string;
  amount_ore: string;
  approvable_ore: string;
  approved_ore: string | null;
  status: DeliveryStatus;
  findings: Finding[];
  description: string | null;
  credits_delivery_id: string | null;
  invoice_line_no: number | null;
  employee_ref: string | null;
  employee_rate_ore: string | null;
}

/** A delivery as intake writes it: the stored row without its ids and approval, and who registered it. */
export interface NewDelivery extends Omit<DeliveryRow, 'id' | 'invoiceId' | 'approvedOre'> {
  registeredBy: string | null;
}

/** New findings, amounts and state of one delivery, moved from the state it was read in. */
export interface DeliveryUpdate {
  id: string;
  from: DeliveryStatus;
  approvableOre: number;
  approvedOre: number | null;
  status: DeliveryStatus;
  findings: Finding[];
}

/** A registered session with its month's invoice, as removing it needs. */
export interface RegistrationRow {
  invoiceId: string;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  invoiceNumber: string;
}

/**
 * An approved delivery as the ledger stores it: what was paid, for which grant, at which VAT rate. What the
 * grant's expenses are booked and refunded by (mentor type, target group) is the grants module's to say.
 */
export interface LedgerLine {
  deliveryId: string;
  kind: 'session' | 'credit';
  grantId: string;
  grantReference: string;
  date: CalendarDate;
  /** Face-to-face minutes; negative on a credit line (minutes taken back). */
  minutes: number;
  /** Approved øre excl. VAT; negative on a credit line. */
  approvedOre: number;
  vatBasisPoints: number;
  invoiceId: string;
  invoiceNumber: string;
  selfBilled: boolean;
  supplierId: string;
  /** On a credit line: the date of the session it reverses; null on a session. */
  creditedDate: CalendarDate | null;
}

interface LedgerRecord extends Omit<LedgerLine, 'approvedOre'> {
  approvedOre: string;
}

/** Approved expenses of one stretch of a period and one grant, summed. */
export interface LedgerGrantAggregate {
  stretchFrom: CalendarDate;
  grantId: string;
  expenses: number;
  expenseOre: number;
}

const DELIVERY_COLUMNS = `id, invoice_id, line_no, kind, grant_id, grant_reference, delivered_on::text AS delivered_on, minutes, contact_form, transport,
  rate_ore, amount_ore, approvable_ore, approved_ore, status, findings, description, credits_delivery_id, invoice_line_no, employee_ref, employee_rate_ore`;

// Sessions that still claim time: every state but rejected and credited (drafts and pending lines too).
const CLAIMING = `d.kind = 'session' AND d.status NOT IN ('rejected', 'credited')`;

const EARLIER = `
    SELECT d.grant_reference AS "grantReference", d.delivered_on::text AS date, d.minutes
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id
     WHERE d.grant_id = ANY($1) AND d.delivered_on BETWEEN $2 AND $3 AND ${CLAIMING}`;

export const DELIVERY_SQL = sqlQueries('invoices/delivery.store', {
  ofInvoice: `SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE invoice_id = $1 ORDER BY line_no`,
  // All lines of an invoice in one statement (unnest of column arrays): thousands of lines cost one round trip. The
  // ids come with the lines, so that what was stored is known without reading it back.
  insert: `
    INSERT INTO delivery (invoice_id, supplier_id, id, line_no, kind, grant_id, grant_reference, delivered_on, minutes, contact_form, transport,
                          rate_ore, amount_ore, approvable_ore, status, findings, description, credits_delivery_id, registered_by, invoice_line_no,
                          employee_ref, employee_rate_ore)
    SELECT $1, $2, * FROM unnest($3::uuid[], $4::int[], $5::text[], $6::uuid[], $7::text[], $8::date[], $9::int[], $10::text[], $11::text[],
                                 $12::bigint[], $13::bigint[], $14::bigint[], $15::text[], $16::jsonb[], $17::text[], $18::uuid[], $19::uuid[], $20::int[],
                                 $21::text[], $22::bigint[])`,
  // The transitions of many deliveries at once, each from the state it was read in: the count says whether all moved.
  update: `
    UPDATE delivery d SET approvable_ore = u.approvable, approved_ore = u.approved, status = u.status, findings = u.findings
      FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::jsonb[], $6::text[]) AS u(id, approvable, approved, status, findings, from_status)
     WHERE d.id = u.id AND d.status = u.from_status`,
  transitionOfInvoice: `UPDATE delivery SET status = $3 WHERE invoice_id = $1 AND status = ANY($2::text[])`,
  transitionMany: `UPDATE delivery SET status = $3 WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[])`,
  nextLineNo: `SELECT COALESCE(MAX(line_no), 0) + 1 AS next FROM delivery WHERE invoice_id = $1`,
  registration: `
    SELECT d.invoice_id, d.grant_reference, d.delivered_on::text AS delivered_on, d.minutes, i.invoice_number
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id
     WHERE d.id = $1 AND d.supplier_id = $2 AND i.source = 'registration'`,
  deleteDraft: `DELETE FROM delivery WHERE id = $1 AND status = 'draft'`,
  // Approved sessions of the supplier's that no credit line (not rejected) reverses yet.
  creditCandidates: `
    SELECT d.id AS "deliveryId", d.grant_reference AS "grantReference", d.delivered_on::text AS date, d.minutes, i.invoice_number AS "invoiceNumber",
           d.approved_ore AS "creditableOre"
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id
     WHERE d.supplier_id = $1 AND d.kind = 'session' AND d.status IN ('approved', 'partly_approved') AND d.grant_reference = ANY($2)
       AND NOT EXISTS (SELECT 1 FROM delivery c WHERE c.credits_delivery_id = d.id AND c.status <> 'rejected')`,
  earlier: EARLIER,
  // For a stored invoice: the other invoices' lines received before it, and any already approved.
  earlierThanStored: `${EARLIER}
       AND d.invoice_id <> $4 AND (i.seq < $5 OR d.status IN ('approved', 'partly_approved'))`,
  // $4: the supplier a supplier user sees, null for all.
  weekUsage: `
    SELECT d.grant_id AS "grantId", d.delivered_on::text AS date, sum(d.minutes)::int AS minutes
      FROM delivery d
     WHERE d.grant_id = ANY($1::uuid[]) AND d.delivered_on BETWEEN $2 AND $3 AND ${CLAIMING}
       AND ($4::uuid IS NULL OR d.supplier_id = $4)
     GROUP BY d.grant_id, d.delivered_on`,
  // The last day each grant had a session delivered on, by $2, in any state but rejected or credited (invoiced or not).
  lastSessions: `
    SELECT d.grant_id AS "grantId", max(d.delivered_on)::text AS date
      FROM delivery d
     WHERE d.grant_id = ANY($1::uuid[]) AND d.delivered_on <= $2 AND ${CLAIMING}
     GROUP BY d.grant_id`,
  // Pending: the approvable amount of submitted sessions not yet decided; approved: every approved amount that stands.
  ceilingUseByGrant: `
    SELECT grant_reference AS "grantReference",
           coalesce(sum(approvable_ore) FILTER (WHERE kind = 'session' AND status = 'pending'), 0)::text AS pending,
           coalesce(sum(approved_ore) FILTER (WHERE status IN ('approved', 'partly_approved', 'credited')), 0)::text AS approved
      FROM delivery
     WHERE grant_id IS NOT NULL AND status IN ('pending', 'approved', 'partly_approved', 'credited')
     GROUP BY grant_reference`,
});

const LEDGER_COLUMNS = `d.id AS "deliveryId", d.kind, d.grant_id AS "grantId", d.grant_reference AS "grantReference", d.delivered_on::text AS date,
  CASE WHEN d.kind = 'credit' THEN -d.minutes ELSE d.minutes END AS minutes, d.approved_ore AS "approvedOre",
  i.vat_basis_points AS "vatBasisPoints", i.id AS "invoiceId", i.invoice_number AS "invoiceNumber", i.source = 'registration' AS "selfBilled", d.supplier_id AS "supplierId"`;

// The window's two parts: $1 suppliers, $2 first day, $3 last day, $4 watermark (null: now), $5 the first days of
// earlier months already closed, whose sessions approved after the close go on the next open statement. A delivery's grant is
// its supplier's by a composite key (delivery_grant_of_supplier), so no row needs its grant's owner checked here.
// An approved line always has its grant: a line without one has nothing approvable. The sessions' own conditions
// are those of the unbilled sessions' index (delivery_unbilled_session_idx), which holds what their sums read.
const WINDOW_DELIVERIES = `d.supplier_id = ANY($1::uuid[]) AND d.kind = 'session' AND d.status IN ('approved', 'partly_approved') AND d.billed_by_statement_id IS NULL
       AND d.delivered_on <= $3 AND (d.delivered_on >= $2 OR date_trunc('month', d.delivered_on)::date = ANY($5::date[]))`;
// A held invoice is not billed; a released one counts as approved at its release (GREATEST ignores a null).
const WINDOW_INVOICES = `i.status <> 'held' AND GREATEST(i.approved_at, i.released_at) <= COALESCE($4::timestamptz, now())`;
const WINDOW_SESSIONS = `${WINDOW_DELIVERIES} AND ${WINDOW_INVOICES}`;
// Credits: $1 suppliers, $2 last day, $3 watermark (null: now).
const WINDOW_CREDITS = `c.supplier_id = ANY($1::uuid[]) AND c.kind = 'credit' AND c.status = 'approved' AND c.billed_by_statement_id IS NULL AND o.billed_by_statement_id IS NOT NULL
       AND c.delivered_on <= $2 AND i.approved_at < ($2::date + 1) AND i.status <> 'held' AND GREATEST(i.approved_at, i.released_at) <= COALESCE($3::timestamptz, now())`;

/** The ledger of approved deliveries that billing, refunds and reports read (through DeliveryLedgerService). */
export const DELIVERY_LEDGER_SQL = sqlQueries('invoices/delivery.store', {
  // Of the suppliers in $3 (the suppliers module's), those with approved sessions of the month (or, late, of a
  // closed month among the first days in $4) not yet paid; and
  // those with approved credits of sessions already paid. One probe of the unbilled deliveries' index per supplier,
  // not a pass over the month's deliveries. Held invoices are few: their ids are read once (a hashed set), so that
  // index still answers alone.
  suppliersToBill: `
    SELECT p.id FROM unnest($3::uuid[]) AS p(id)
     WHERE EXISTS (SELECT 1 FROM delivery d WHERE d.supplier_id = p.id AND d.kind = 'session' AND d.status IN ('approved', 'partly_approved')
                      AND d.billed_by_statement_id IS NULL AND d.delivered_on <= $2
                      AND (d.delivered_on >= $1 OR date_trunc('month', d.delivered_on)::date = ANY($4::date[]))
                      AND d.invoice_id NOT IN (SELECT h.id FROM invoice h WHERE h.status = 'held'))
    UNION
    SELECT c.supplier_id FROM delivery c JOIN delivery o ON o.id = c.credits_delivery_id JOIN invoice i ON i.id = c.invoice_id
     WHERE c.kind = 'credit' AND c.status = 'approved' AND c.billed_by_statement_id IS NULL AND o.billed_by_statement_id IS NOT NULL
       AND c.delivered_on <= $2 AND i.approved_at < ($2::date + 1) AND i.status <> 'held'
    ORDER BY 1`,
  // Many suppliers' windows (as of now) in one pass: the sessions summed per supplier and VAT rate. They are summed
  // per invoice first, from the index alone, so the invoices (VAT rate, approval time) are joined to a few sums.
  windowTotals: `
    SELECT d.supplier_id AS "supplierId", i.vat_basis_points AS "vatBasisPoints", sum(d.minutes)::int AS minutes, sum(d.approved_ore)::text AS "approvedOre",
           sum(d.lines)::int AS lines
      FROM (SELECT d.supplier_id, d.invoice_id, sum(d.minutes) AS minutes, sum(d.approved_ore) AS approved_ore, count(*) AS lines
              FROM delivery d WHERE ${WINDOW_DELIVERIES} GROUP BY 1, 2) d
      JOIN invoice i ON i.id = d.invoice_id
     WHERE ${WINDOW_INVOICES}
     GROUP BY 1, 2 ORDER BY 1, 2`,
  windowSessions: `
    SELECT ${LEDGER_COLUMNS}, NULL AS "creditedDate"
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id
     WHERE ${WINDOW_SESSIONS}`,
  windowCredits: `
    SELECT ${LEDGER_COLUMNS.replace(/\bd\./g, 'c.')}, o.delivered_on::text AS "creditedDate"
      FROM delivery c JOIN delivery o ON o.id = c.credits_delivery_id JOIN invoice i ON i.id = c.invoice_id
     WHERE ${WINDOW_CREDITS}`,
  // Each delivery is paid by one final statement: a delivery another statement paid meanwhile is not taken.
  markBilled: `UPDATE delivery SET billed_by_statement_id = $1 WHERE id = ANY($2::uuid[]) AND billed_by_statement_id IS NULL`,
  // A statement's payment reaches the deliveries it paid, once: their invoices are then read for being paid.
  markPaid: `UPDATE delivery SET paid_on = $2 WHERE billed_by_statement_id = $1 AND paid_on IS NULL RETURNING invoice_id`,
  hasApprovedExpenses: `
    SELECT 1 FROM delivery d WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2 LIMIT 1`,
  approvedExpenses: `
    SELECT ${LEDGER_COLUMNS}, NULL AS "creditedDate"
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id
     WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2
       AND d.grant_id IS NOT NULL`,
  // The approved amount on each grant, credits (negative) included: what an ad-hoc purchase linked to it has spent.
  approvedOreByGrant: `
    SELECT d.grant_id AS "grantId", sum(d.approved_ore)::text AS "approvedOre"
      FROM delivery d
     WHERE d.grant_id = ANY($1::uuid[]) AND d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL
     GROUP BY d.grant_id`,
  // Summed per stretch of the period and grant: at most one row per grant and stretch, whatever the deliveries.
  approvedExpenseAggregates: `
    SELECT width_bucket(d.delivered_on, $3::date[]) AS stretch, d.grant_id AS "grantId", count(*)::int AS expenses, sum(d.approved_ore)::text AS "expenseOre"
      FROM delivery d
     WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2
       AND d.grant_id IS NOT NULL
     GROUP BY 1, 2`,
});

const Q = DELIVERY_SQL;
const L = DELIVERY_LEDGER_SQL;

/** Øre from a bigint column (the driver's text), refused when beyond the safe integers. */

function deliveryOf(r: DeliveryRecord): DeliveryRow {
  return {
    id: r.id,
    invoiceId: r.invoice_id,
    lineNo: r.line_no,
    kind: r.kind,
    grantId: r.grant_id,
    grantReference: r.grant_reference,
    date: r.delivered_on,
    minutes: r.minutes,
    contactForm: r.contact_form,
    transport: r.transport,
    rateOre: readOre(r.rate_ore),
    amountOre: readOre(r.amount_ore),
    approvableOre: readOre(r.approvable_ore),
    approvedOre: r.approved_ore === null ? null : readOre(r.approved_ore),
    status: r.status,
    findings: r.findings,
    description: r.description,
    creditsDeliveryId: r.credits_delivery_id,
    invoiceLineNo: r.invoice_line_no,
    employeeRef: r.employee_ref,
    employeeRateOre: r.employee_rate_ore === null ? null : readOre(r.employee_rate_ore),
  };
}

function ledgerOf(row: LedgerRecord): LedgerLine {
  return { ...row, approvedOre: readOre(row.approvedOre) };
}

/**
 * A PostgreSQL array literal of text, numbers and nulls, built in one pass: a number as it is, any other value
 * quoted (backslashes and quotes escaped), null as NULL. The driver's own array writing (two replacements per
 * element) is most of the cost of sending a 5,000-line invoice's columns.
 */
function arrayLiteral<T>(items: readonly T[], valueOf: (item: T) => string | number | null): string {
  let literal = '{';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) literal += ',';
    const value = valueOf(items[i]);
    if (value === null) literal += 'NULL';
    else if (typeof value === 'number') literal += value;
    else literal += value.includes('"') || value.includes('\\') ? `"${value.replace(/[\\"]/g, '\\$&')}"` : `"${value}"`;
  }
  return `${literal}}`;
}

/** Every query on the delivery table: an invoice's lines, their transitions, and the ledger of approved deliveries. */
@Injectable()
export class DeliveryStore {
  async ofInvoice(manager: EntityManager, invoiceId: string): Promise<DeliveryRow[]> {
    return ((await manager.query(Q.ofInvoice, [invoiceId])) as DeliveryRecord[]).map(deliveryOf);
  }

  /** Stores an invoice's lines in one statement; the deliveries as stored. */
  async insert(manager: EntityManager, invoiceId: string, supplierId: string, lines: NewDelivery[]): Promise<DeliveryRow[]> {
    if (lines.length === 0) return [];
    const stored = lines.map(
      (l): DeliveryRow => ({
        id: randomUUID(),
        invoiceId,
        lineNo: l.lineNo,
        kind: l.kind,
        grantId: l.grantId,
        grantReference: l.grantReference,
        date: l.date,
        minutes: l.minutes,
        contactForm: l.contactForm,
        transport: l.transport,
        rateOre: l.rateOre,
        amountOre: l.amountOre,
        approvableOre: l.approvableOre,
        approvedOre: null,
        status: l.status,
        findings: l.findings,
        description: l.description,
        creditsDeliveryId: l.creditsDeliveryId,
        invoiceLineNo: l.invoiceLineNo ?? null,
        employeeRef: l.employeeRef ?? null,
        employeeRateOre: l.employeeRateOre ?? null,
      }),
    );
    await manager.query(Q.insert, [
      invoiceId,
      supplierId,
      arrayLiteral(stored, (d) => d.id),
      arrayLiteral(lines, (l) => l.lineNo),
      arrayLiteral(lines, (l) => l.kind),
      arrayLiteral(lines, (l) => l.grantId),
      arrayLiteral(lines, (l) => l.grantReference),
      arrayLiteral(lines, (l) => l.date),
      arrayLiteral(lines, (l) => l.minutes),
      arrayLiteral(lines, (l) => l.contactForm),
      arrayLiteral(lines, (l) => l.transport),
      arrayLiteral(lines, (l) => l.rateOre),
      arrayLiteral(lines, (l) => l.amountOre),
      arrayLiteral(lines, (l) => l.approvableOre),
      arrayLiteral(lines, (l) => l.status),
      arrayLiteral(lines, (l) => (l.findings.length === 0 ? '[]' : JSON.stringify(l.findings))),
      arrayLiteral(lines, (l) => l.description),
      arrayLiteral(lines, (l) => l.creditsDeliveryId),
      arrayLiteral(lines, (l) => l.registeredBy),
      arrayLiteral(lines, (l) => l.invoiceLineNo ?? null),
      arrayLiteral(lines, (l) => l.employeeRef ?? null),
      arrayLiteral(lines, (l) => l.employeeRateOre ?? null),
    ]);
    return stored;
  }

  /**
   * New findings, amounts and states for many deliveries in one conditional statement, each from the state it
   * was read in. False when any had moved meanwhile; a transition the table does not allow `role` is a 409.
   */
  async transition(manager: EntityManager, updates: DeliveryUpdate[], role: TransitionRole): Promise<boolean> {
    if (updates.length === 0) return true;
    for (const u of updates) this.assertTransition(u.from, u.status, role);
    const [, affected] = (await manager.query(Q.update, [
      updates.map((u) => u.id),
      updates.map((u) => u.approvableOre),
      updates.map((u) => u.approvedOre),
      updates.map((u) => u.status),
      updates.map((u) => JSON.stringify(u.findings)),
      updates.map((u) => u.from),
    ])) as [unknown, number];
    return affected === updates.length;
  }

  /** Every line of an invoice in one of `from` moved to `to` (an invoice rejected rejects its lines); how many moved. */
  async transitionOfInvoice(manager: EntityManager, invoiceId: string, from: DeliveryStatus[], to: DeliveryStatus, role: TransitionRole): Promise<number> {
    for (const f of from) this.assertTransition(f, to, role);
    const [, affected] = (await manager.query(Q.transitionOfInvoice, [invoiceId, from, to])) as [unknown, number];
    return affected;
  }

  /** These deliveries moved from one of `from` to `to` (sessions credited); false when any was no longer in `from`. */
  async transitionMany(manager: EntityManager, ids: string[], from: DeliveryStatus[], to: DeliveryStatus, role: TransitionRole): Promise<boolean> {
    for (const f of from) this.assertTransition(f, to, role);
    const unique = [...new Set(ids)];
    if (unique.length === 0) return true;
    const [, affected] = (await manager.query(Q.transitionMany, [unique, from, to])) as [unknown, number];
    return affected === unique.length;
  }

  /** A 409 naming both states when the table does not let `role` move a delivery from `from` to `to`. */
  assertTransition(from: DeliveryStatus, to: DeliveryStatus, role: TransitionRole): void {
    const problem = deliveryTransitionProblem(from, to, role);
    if (problem) throw DomainException.conflict(`The delivery cannot go from ${from} to ${to}`, [problem]);
  }

  async nextLineNo(manager: EntityManager, invoiceId: string): Promise<number> {
    const [{ next }] = (await manager.query(Q.nextLineNo, [invoiceId])) as Array<{ next: number }>;
    return next;
  }

  /** A registered session of the supplier's, with its month's number; null when there is none. */
  async registration(manager: EntityManager, deliveryId: string, supplierId: string): Promise<RegistrationRow | null> {
    const [row] = (await manager.query(Q.registration, [deliveryId, supplierId])) as Array<{ invoice_id: string; grant_reference: string; delivered_on: string; minutes: number; invoice_number: string }>;
    return row ? { invoiceId: row.invoice_id, grantReference: row.grant_reference, date: row.delivered_on, minutes: row.minutes, invoiceNumber: row.invoice_number } : null;
  }

  /** Removes a registered session while its month is a draft; false when it is not a draft. */
  async deleteDraft(manager: EntityManager, deliveryId: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.deleteDraft, [deliveryId])) as [unknown, number];
    return affected === 1;
  }

  async creditCandidates(manager: EntityManager, supplierId: string, references: string[]): Promise<CreditCandidate[]> {
    const rows = (await manager.query(Q.creditCandidates, [supplierId, references])) as Array<Omit<CreditCandidate, 'creditableOre'> & { creditableOre: string }>;
    return rows.map((c) => ({ ...c, creditableOre: readOre(c.creditableOre) }));
  }

  /** The sessions on these grants in from..to that still count against a new invoice (`stored`: the invoice itself, when stored). */
  async earlier(manager: EntityManager, grantIds: string[], from: CalendarDate, to: CalendarDate, stored?: { invoiceId: string; seq: string }): Promise<Delivery[]> {
    if (stored) return (await manager.query(Q.earlierThanStored, [grantIds, from, to, stored.invoiceId, stored.seq])) as Delivery[];
    return (await manager.query(Q.earlier, [grantIds, from, to])) as Delivery[];
  }

  /** Minutes per grant and day of the sessions that still claim time; `supplierId` null: every supplier's. */
  async minutesByDay(manager: EntityManager, grantIds: string[], from: CalendarDate, to: CalendarDate, supplierId: string | null): Promise<Array<{ grantId: string; date: CalendarDate; minutes: number }>> {
    return (await manager.query(Q.weekUsage, [grantIds, from, to, supplierId])) as Array<{ grantId: string; date: CalendarDate; minutes: number }>;
  }

  /** The last day each grant had a session that still claims time, by `until`; grants with none are left out. */
  async lastSessions(manager: EntityManager, grantIds: string[], until: CalendarDate): Promise<Map<string, CalendarDate>> {
    const rows = (await manager.query(Q.lastSessions, [grantIds, until])) as Array<{ grantId: string; date: CalendarDate }>;
    return new Map(rows.map((row) => [row.grantId, row.date]));
  }

  /** What the deliveries hold on ceilings, per grant reference (pending and approved øre). */
  async ceilingUseByGrant(manager: EntityManager): Promise<Map<string, { pendingOre: number; approvedOre: number }>> {
    const rows = (await manager.query(Q.ceilingUseByGrant)) as Array<{ grantReference: string; pending: string; approved: string }>;
    return new Map(rows.map((row) => [row.grantReference, { pendingOre: readOre(row.pending), approvedOre: readOre(row.approved) }]));
  }

  // ---- the ledger of approved deliveries ----

  /** Of `suppliers`, those with approved sessions of from..to to bill; and any with approved credits to bill. */
  async suppliersToBill(manager: EntityManager, from: CalendarDate, to: CalendarDate, suppliers: string[], closedMonthStarts: CalendarDate[]): Promise<string[]> {
    return ((await manager.query(L.suppliersToBill, [from, to, suppliers, closedMonthStarts])) as Array<{ id: string }>).map((row) => row.id);
  }

  async windowTotals(manager: EntityManager, sessionParams: unknown[]): Promise<Array<{ supplierId: string; vatBasisPoints: number; minutes: number; approvedOre: number; lines: number }>> {
    const rows = (await manager.query(L.windowTotals, sessionParams)) as Array<{ supplierId: string; vatBasisPoints: number; minutes: number; approvedOre: string; lines: number }>;
    return rows.map((row) => ({ ...row, approvedOre: readOre(row.approvedOre) }));
  }

  async windowSessions(manager: EntityManager, sessionParams: unknown[]): Promise<LedgerLine[]> {
    return ((await manager.query(L.windowSessions, sessionParams)) as LedgerRecord[]).map(ledgerOf);
  }

  async windowCredits(manager: EntityManager, creditParams: unknown[]): Promise<LedgerLine[]> {
    return ((await manager.query(L.windowCredits, creditParams)) as LedgerRecord[]).map(ledgerOf);
  }

  /** Records the final statement that paid these deliveries; how many it took (another statement's are not). */
  async markBilled(manager: EntityManager, statementId: string, deliveryIds: string[]): Promise<number> {
    const [, taken] = (await manager.query(L.markBilled, [statementId, deliveryIds])) as [unknown, number];
    return taken;
  }

  /** Records the day a statement's deliveries were paid (those not recorded yet); the invoices they belong to. */
  async markPaid(manager: EntityManager, statementId: string, paidOn: CalendarDate): Promise<{ deliveries: number; invoiceIds: string[] }> {
    const [rows] = (await manager.query(L.markPaid, [statementId, paidOn])) as [Array<{ invoice_id: string }>, number];
    return { deliveries: rows.length, invoiceIds: [...new Set(rows.map((row) => row.invoice_id))].sort() };
  }

  async hasApprovedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<boolean> {
    return ((await manager.query(L.hasApprovedExpenses, [from, to])) as unknown[]).length > 0;
  }

  async approvedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<LedgerLine[]> {
    return ((await manager.query(L.approvedExpenses, [from, to])) as LedgerRecord[]).map(ledgerOf);
  }

  async approvedOreByGrant(manager: EntityManager, grantIds: string[]): Promise<Map<string, number>> {
    const rows = (await manager.query(L.approvedOreByGrant, [grantIds])) as Array<{ grantId: string; approvedOre: string }>;
    return new Map(rows.map((row) => [row.grantId, readOre(row.approvedOre)]));
  }

  async approvedExpenseAggregates(manager: EntityManager, from: CalendarDate, to: CalendarDate, stretchStarts: CalendarDate[]): Promise<LedgerGrantAggregate[]> {
    const rows = (await manager.query(L.approvedExpenseAggregates, [from, to, stretchStarts])) as Array<{ stretch: number; grantId: string; expenses: number; expenseOre: string }>;
    return rows.map((row) => ({ stretchFrom: stretchStarts[row.stretch - 1], grantId: row.grantId, expenses: row.expenses, expenseOre: readOre(row.expenseOre) }));
  }
}
