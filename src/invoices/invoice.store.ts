import { keysetPage, keysetQueries } from '../common/database/keyset';
import type { KeysetPage, PageRequest } from '../common/web/list-query';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import type { CalendarDate } from '../common/time/calendar-date';
import type { ContactGap } from './contact-gap.rules';
import { invoiceTransitionProblem, type HoldableStatus, type InvoiceStatus } from './invoice-lifecycle.rules';
import type { Finding } from './finding';
import type { InvoiceSource } from './received-invoice';

export interface InvoiceRow {
  id: string;
  seq: string;
  supplierId: string;
  invoiceNumber: string;
  documentType: 'invoice' | 'credit_note';
  source: InvoiceSource;
  contentHash: string;
  issueDate: CalendarDate;
  periodFrom: CalendarDate;
  periodTo: CalendarDate;
  currency: string;
  vatBasisPoints: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
  approvableOre: number;
  approvedOre: number | null;
  errorCount: number;
  warningCount: number;
  findings: Finding[];
  billingReferences: string[];
  status: InvoiceStatus;
  secondApprovalRequired: boolean;
  submittedBy: string | null;
  firstApprovedBy: string | null;
  firstApprovedAt: Date | null;
  /** Who gave the final approval (the second, when two were needed). */
  approvedBy: string | null;
  rejectionReason: string | null;
  createdAt: Date;
  approvedAt: Date | null;
  /** While held: the state it returns to on release. */
  heldFrom: HoldableStatus | null;
  /** The day the finance system paid the statement(s) that billed it; null until then. */
  paidOn: CalendarDate | null;
}

interface InvoiceRecord {
  id: string;
  seq: string;
  supplier_id: string;
  invoice_number: string;
  document_type: 'invoice' | 'credit_note';
  source: InvoiceSource;
  content_hash: string;
  issue_date: string;
  period_from: string;
  period_to: string;
  currency: string;
  vat_basis_points: number;
  net_ore: string;
  vat_ore: string;
  total_ore: string;
  approvable_ore: string;
  approved_ore: string | null;
  error_count: number;
  warning_count: number;
  findings: Finding[];
  billing_references: string[];
  status: InvoiceStatus;
  second_approval_required: boolean;
  submitted_by: string | null;
  first_approved_by: string | null;
  first_approved_at: Date | null;
  approved_by: string | null;
  rejection_reason: string | null;
  created_at: Date;
  approved_at: Date | null;
  held_from: HoldableStatus | null;
  paid_on: string | null;
}

/** An invoice as intake stores it, validated in the same transaction. */
export interface NewInvoice {
  supplierId: string;
  invoiceNumber: string;
  documentType: 'invoice' | 'credit_note';
  source: InvoiceSource;
  contentHash: string;
  issueDate: CalendarDate;
  periodFrom: CalendarDate;
  periodTo: CalendarDate;
  currency: string;
  vatBasisPoints: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
  approvableOre: number;
  errorCount: number;
  warningCount: number;
  findings: Finding[];
  billingReferences: string[];
  submittedBy: string | null;
}

/** A self-billing draft's totals, recomputed with each registration. */
export interface DraftTotals {
  netOre: number;
  vatOre: number;
  totalOre: number;
  vatBasisPoints: number;
  approvableOre: number;
  findings: Finding[];
  errorCount: number;
  warningCount: number;
}

/** What a change of state writes beside the state. */
export type InvoiceChange =
  | { to: 'validated'; submitted: { issueDate: CalendarDate; contentHash: string; by: string | null } }
  | { to: 'validated'; firstApprovedBy: string }
  | { to: 'approved' | 'partly_approved'; approvedOre: number; approvedBy: string | null }
  | { to: 'rejected'; reason: string; rejectedBy: string | null }
  | { to: 'held' }
  | { to: HoldableStatus; released: true };

/** A supplier's invoices issued in a period and their findings counted (invoice and lines). */
export interface IssuedCounts {
  supplierId: string;
  invoices: number;
  errors: number;
  warnings: number;
}

export interface InvoiceListFilter {
  scopeSupplierId: string | null;
  supplierId: string | null;
  status: string | null;
  after: string | null;
  limit: number;
}

// The supplier's name is the suppliers module's: the service reads it there.
const COLUMNS = `i.id, i.seq::text AS seq, i.supplier_id, i.invoice_number, i.document_type, i.source, i.content_hash,
  i.issue_date::text AS issue_date, i.period_from::text AS period_from, i.period_to::text AS period_to, i.currency, i.vat_basis_points,
  i.net_ore, i.vat_ore, i.total_ore, i.approvable_ore, i.approved_ore, i.error_count, i.warning_count, i.findings, i.billing_references, i.status,
  i.second_approval_required, i.submitted_by, i.first_approved_by, i.first_approved_at, i.approved_by, i.rejection_reason, i.created_at, i.approved_at, i.held_from, i.paid_on::text AS paid_on`;

const FROM = `FROM invoice i`;

// The list's filters are parameters: null leaves one out.
const LIST_WHERE = `WHERE ($1::uuid IS NULL OR i.supplier_id = $1) AND ($2::uuid IS NULL OR i.supplier_id = $2) AND ($3::text IS NULL OR i.status = $3)`;

/** The inbox's sorts: errors first, then warnings, then oldest (the default); issue date; total; invoice number. */
export const INVOICE_SORTS = { findings: 'asc', date: 'desc', amount: 'desc', number: 'asc', supplier: 'asc' } as const;
export type InvoiceSort = keyof typeof INVOICE_SORTS;

// The searchable list: the filters above, then $4 a LIKE pattern on the invoice number or $5 the suppliers whose name matched.
const SEARCH_WHERE = `${LIST_WHERE} AND ($4::text IS NULL OR i.invoice_number ILIKE $4 OR i.supplier_id = ANY($5::uuid[]))`;
const SEARCH_SORTS = {
  findings: { expr: `(CASE WHEN i.error_count > 0 THEN 0 WHEN i.warning_count > 0 THEN 1 ELSE 2 END)::bigint * 1000000000000000 + i.seq`, cast: 'bigint' },
  date: { expr: 'i.issue_date', cast: 'date' },
  amount: { expr: 'i.total_ore', cast: 'bigint' },
  number: { expr: 'i.invoice_number', cast: 'text' },
} as const;

export const INVOICE_SQL = sqlQueries('invoices/invoice.store', {
  ...keysetQueries('search', { select: COLUMNS, from: FROM, where: SEARCH_WHERE, params: 5, id: 'i.id', sorts: SEARCH_SORTS }),
  // By supplier name: $6 the suppliers' ids in name order (the names are the suppliers module's).
  ...keysetQueries('searchBySupplier', {
    select: COLUMNS,
    from: FROM,
    where: SEARCH_WHERE,
    params: 6,
    id: 'i.id',
    sorts: { supplier: { expr: `COALESCE(array_position($6::uuid[], i.supplier_id), 2147483647)`, cast: 'int' } },
  }),
  get: `SELECT ${COLUMNS} ${FROM} WHERE i.id = $1`,
  getForUpdate: `SELECT ${COLUMNS} ${FROM} WHERE i.id = $1 FOR UPDATE`,
  listNewest: `SELECT ${COLUMNS} ${FROM} ${LIST_WHERE} AND ($4::bigint IS NULL OR i.seq < $4) ORDER BY i.seq DESC LIMIT $5`,
  // Finance's inbox: errors first, then warnings, then oldest first.
  listInbox: `SELECT ${COLUMNS} ${FROM} ${LIST_WHERE} ORDER BY (i.error_count > 0) DESC, (i.warning_count > 0) DESC, i.seq ASC LIMIT $4`,
  byNumber: `SELECT id, content_hash, status FROM invoice WHERE supplier_id = $1 AND invoice_number = $2`,
  numbers: `SELECT id, invoice_number FROM invoice WHERE id = ANY($1::uuid[])`,
  // Invoices still waiting for a first or second approval whose period touches the days from $1 to $2 (a month being closed).
  awaitingApprovalIn: `SELECT ${COLUMNS} ${FROM} WHERE i.status = 'validated' AND i.period_from <= $2 AND i.period_to >= $1 ORDER BY i.seq ASC LIMIT $3`,
  draftByNumberForUpdate: `SELECT id FROM invoice WHERE supplier_id = $1 AND invoice_number = $2 AND status = 'draft' FOR UPDATE`,
  seq: `SELECT seq::text AS seq FROM invoice WHERE id = $1`,
  // The invoice as stored, as \`get\` reads it.
  insertValidated: `
    INSERT INTO invoice AS i (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, currency,
                           vat_basis_points, net_ore, vat_ore, total_ore, approvable_ore, error_count, warning_count, findings,
                           billing_references, status, submitted_by, validated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'validated', $19, now())
    RETURNING ${COLUMNS}`,
  insertDraft: `
    INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                         net_ore, vat_ore, total_ore, approvable_ore, status, submitted_by)
    VALUES ($1, $2, 'invoice', 'registration', repeat('0', 64), $3, $4, $5, 0, 0, 0, 0, 0, 'draft', $6) RETURNING id`,
  draftTotals: `
    UPDATE invoice SET net_ore = $2, vat_ore = $3, total_ore = $4, vat_basis_points = $5, approvable_ore = $6, findings = $7, error_count = $8,
           warning_count = $9, updated_at = now()
     WHERE id = $1`,
  // Every invoice write of a supplier takes this lock first, so week sums and ceilings see each other's lines.
  lockSupplier: `SELECT pg_advisory_xact_lock(hashtext('invoicing:' || $1::text))`,
  // The transitions: one conditional UPDATE each, from the state in $2.
  toSubmitted: `UPDATE invoice SET status = $3, issue_date = $4, content_hash = $5, submitted_by = $6, validated_at = now(), updated_at = now() WHERE id = $1 AND status = $2`,
  toFirstApproved: `
    UPDATE invoice SET first_approved_by = $3, first_approved_at = now(), second_approval_required = true, updated_at = now()
     WHERE id = $1 AND status = $2 AND first_approved_by IS NULL`,
  toApproved: `
    UPDATE invoice SET status = $3, approved_ore = $4, approvable_ore = $4, approved_by = $5, approved_at = now(), updated_at = now()
     WHERE id = $1 AND status = $2`,
  toRejected: `UPDATE invoice SET status = $3, rejection_reason = $4, rejected_by = $5, rejected_at = now(), updated_at = now() WHERE id = $1 AND status = $2`,
  // A hold remembers the state it was placed on; the release returns there and marks when the invoice became billable again.
  toHeld: `UPDATE invoice SET status = 'held', held_from = $2, updated_at = now() WHERE id = $1 AND status = $2`,
  toReleased: `UPDATE invoice SET status = held_from, held_from = NULL, released_at = now(), updated_at = now() WHERE id = $1 AND status = 'held' AND held_from = $2`,
  // Invoices and credit notes of the supplier that refer to an invoice number: a replacement or a credit note.
  referring: `SELECT document_type, count(*)::int AS n FROM invoice WHERE supplier_id = $1 AND $2 = ANY(billing_references) AND id <> $3 AND status <> 'draft' GROUP BY document_type`,
  // The contact-gap read model: an invoice's rows replaced whenever its findings are written.
  deleteContactGaps: `DELETE FROM contact_gap WHERE invoice_id = $1`,
  insertContactGaps: `
    INSERT INTO contact_gap (invoice_id, supplier_id, grant_reference, iso_week)
    SELECT $1, $2, * FROM unnest($3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
  // A year's weeks: '2026-W01' .. '2026-W53'.
  contactGapsOfYear: `SELECT supplier_id, grant_reference, iso_week FROM contact_gap WHERE iso_week BETWEEN $1 AND $2`,
  // Invoices and credit notes issued in a period (drafts left out), with their error and warning counts.
  issuedCounts: `
    SELECT supplier_id, count(*)::int AS invoices, COALESCE(sum(error_count), 0)::int AS errors, COALESCE(sum(warning_count), 0)::int AS warnings
      FROM invoice WHERE status <> 'draft' AND issue_date BETWEEN $1 AND $2
     GROUP BY supplier_id`,
  // Per supplier and quarter of the issue date: the findings (invoice and lines) and the session minutes invoiced,
  // decided (approved, partly approved or rejected) and approved (a partly approved line by its approved share).
  quarterQuality: `
    SELECT i.supplier_id, date_part('quarter', i.issue_date)::int AS quarter,
           (COALESCE(sum(i.error_count), 0) + COALESCE(sum(i.warning_count), 0))::int AS findings,
           COALESCE(sum(l.invoiced), 0)::int AS invoiced_minutes, COALESCE(sum(l.decided), 0)::int AS decided_minutes, COALESCE(sum(l.approved), 0)::int AS approved_minutes
      FROM invoice i
      LEFT JOIN LATERAL (
        SELECT sum(d.minutes) AS invoiced,
               sum(d.minutes) FILTER (WHERE d.status IN ('approved', 'partly_approved', 'rejected')) AS decided,
               sum(CASE WHEN d.status = 'approved' THEN d.minutes
                        WHEN d.status = 'partly_approved' AND d.amount_ore > 0 THEN round(d.minutes * d.approved_ore::numeric / d.amount_ore)
                        ELSE 0 END) AS approved
          FROM delivery d
         WHERE d.invoice_id = i.id AND d.kind = 'session') l ON true
     WHERE i.status <> 'draft' AND i.issue_date BETWEEN $1 AND $2
     GROUP BY i.supplier_id, quarter`,
  // Billed once a final statement has paid every approved delivery of the invoice.
  toBilled: `
    UPDATE invoice i SET status = $3, updated_at = now()
     WHERE i.id = ANY($1::uuid[]) AND i.status = ANY($2::text[])
       AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.invoice_id = i.id AND d.status IN ('approved', 'partly_approved') AND d.billed_by_statement_id IS NULL)`,
  // Paid once every approved delivery of the invoice is paid, on the day the last of them was.
  toPaid: `
    UPDATE invoice i SET status = $3, updated_at = now(),
           paid_on = (SELECT max(d.paid_on) FROM delivery d WHERE d.invoice_id = i.id)
     WHERE i.id = ANY($1::uuid[]) AND i.status = $2
       AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.invoice_id = i.id AND d.status IN ('approved', 'partly_approved') AND d.paid_on IS NULL)`,
});

const Q = INVOICE_SQL;

/** A supplier's invoices of one quarter as supplier performance reads them. */
export interface QuarterQuality {
  supplierId: string;
  quarter: number;
  findings: number;
  invoicedMinutes: number;
  decidedMinutes: number;
  approvedMinutes: number;
}

function invoiceOf(r: InvoiceRecord): InvoiceRow {
  return {
    id: r.id,
    seq: r.seq,
    supplierId: r.supplier_id,
    invoiceNumber: r.invoice_number,
    documentType: r.document_type,
    source: r.source,
    contentHash: r.content_hash,
    issueDate: r.issue_date,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    currency: r.currency,
    vatBasisPoints: r.vat_basis_points,
    netOre: readOre(r.net_ore),
    vatOre: readOre(r.vat_ore),
    totalOre: readOre(r.total_ore),
    approvableOre: readOre(r.approvable_ore),
    approvedOre: r.approved_ore === null ? null : readOre(r.approved_ore),
    errorCount: r.error_count,
    warningCount: r.warning_count,
    findings: r.findings,
    billingReferences: r.billing_references,
    status: r.status,
    secondApprovalRequired: r.second_approval_required,
    submittedBy: r.submitted_by,
    firstApprovedBy: r.first_approved_by,
    firstApprovedAt: r.first_approved_at,
    approvedBy: r.approved_by,
    rejectionReason: r.rejection_reason,
    createdAt: r.created_at,
    approvedAt: r.approved_at,
    heldFrom: r.held_from,
    paidOn: r.paid_on,
  };
}

/** Every query on the invoice table; the invoice's states are written only by `transition` and `transitionBilled`. */
@Injectable()
export class InvoiceStore {
  async get(manager: EntityManager, id: string, lock = false): Promise<InvoiceRow | null> {
    const [row] = (await manager.query(lock ? Q.getForUpdate : Q.get, [id])) as InvoiceRecord[];
    return row ? invoiceOf(row) : null;
  }

  /** A page of invoices, newest first (after the `after` seq), or finance's inbox order. */
  async list(manager: EntityManager, filter: InvoiceListFilter, inbox: boolean): Promise<InvoiceRow[]> {
    const base = [filter.scopeSupplierId, filter.supplierId, filter.status];
    const rows = (await manager.query(inbox ? Q.listInbox : Q.listNewest, inbox ? [...base, filter.limit] : [...base, filter.after, filter.limit])) as InvoiceRecord[];
    return rows.map(invoiceOf);
  }

  /**
   * A page of the searchable list: `pattern` a LIKE pattern on the invoice number, `supplierIds` the suppliers whose
   * name matched, `supplierOrder` every supplier's id in name order (for the sort by supplier).
   */
  async search(manager: EntityManager, filter: Omit<InvoiceListFilter, 'after' | 'limit'> & { pattern: string | null; supplierIds: string[]; supplierOrder: string[] }, request: PageRequest<InvoiceSort>): Promise<KeysetPage<InvoiceRow>> {
    const params: unknown[] = [filter.scopeSupplierId, filter.supplierId, filter.status, filter.pattern, filter.supplierIds];
    const page = request.sort === 'supplier'
      ? await keysetPage<InvoiceRecord, InvoiceSort>(manager, Q, 'searchBySupplier', request, [...params, filter.supplierOrder])
      : await keysetPage<InvoiceRecord, InvoiceSort>(manager, Q, 'search', request, params);
    return { ...page, items: page.items.map(invoiceOf) };
  }

  /** The numbers of these invoices, by id (for the audit log's words). */
  async numbers(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const rows = (await manager.query(Q.numbers, [ids])) as Array<{ id: string; invoice_number: string }>;
    return new Map(rows.map((row) => [row.id, row.invoice_number]));
  }

  /** Invoices waiting for a first or second approval whose period touches the days from `from` to `to`, oldest first. */
  async awaitingApprovalIn(manager: EntityManager, from: CalendarDate, to: CalendarDate, limit: number): Promise<InvoiceRow[]> {
    return ((await manager.query(Q.awaitingApprovalIn, [from, to, limit])) as InvoiceRecord[]).map(invoiceOf);
  }

  async byNumber(manager: EntityManager, supplierId: string, invoiceNumber: string): Promise<{ id: string; contentHash: string; status: InvoiceStatus } | null> {
    const [row] = (await manager.query(Q.byNumber, [supplierId, invoiceNumber])) as Array<{ id: string; content_hash: string; status: InvoiceStatus }>;
    return row ? { id: row.id, contentHash: row.content_hash, status: row.status } : null;
  }

  async draftByNumberForUpdate(manager: EntityManager, supplierId: string, invoiceNumber: string): Promise<string | null> {
    const [row] = (await manager.query(Q.draftByNumberForUpdate, [supplierId, invoiceNumber])) as Array<{ id: string }>;
    return row?.id ?? null;
  }

  async seq(manager: EntityManager, id: string): Promise<string> {
    const [{ seq }] = (await manager.query(Q.seq, [id])) as Array<{ seq: string }>;
    return seq;
  }

  /** Stores a validated invoice; the invoice as stored. */
  async insertValidated(manager: EntityManager, n: NewInvoice): Promise<InvoiceRow> {
    const [row] = (await manager.query(Q.insertValidated, [
      n.supplierId, n.invoiceNumber, n.documentType, n.source, n.contentHash, n.issueDate, n.periodFrom, n.periodTo, n.currency,
      n.vatBasisPoints, n.netOre, n.vatOre, n.totalOre, n.approvableOre, n.errorCount, n.warningCount, JSON.stringify(n.findings),
      n.billingReferences, n.submittedBy,
    ])) as InvoiceRecord[];
    return invoiceOf(row);
  }

  async insertDraft(manager: EntityManager, supplierId: string, invoiceNumber: string, issueDate: CalendarDate, period: { from: CalendarDate; to: CalendarDate }, by: string | null): Promise<string> {
    const [row] = (await manager.query(Q.insertDraft, [supplierId, invoiceNumber, issueDate, period.from, period.to, by])) as Array<{ id: string }>;
    return row.id;
  }

  async updateDraftTotals(manager: EntityManager, id: string, t: DraftTotals): Promise<void> {
    await manager.query(Q.draftTotals, [id, t.netOre, t.vatOre, t.totalOre, t.vatBasisPoints, t.approvableOre, JSON.stringify(t.findings), t.errorCount, t.warningCount]);
  }

  async lockSupplierInvoicing(manager: EntityManager, supplierId: string): Promise<void> {
    await manager.query(Q.lockSupplier, [supplierId]);
  }

  /**
   * Moves an invoice from `from` in one conditional UPDATE. False when it was no longer `from` (someone else
   * won). A transition the table does not allow `role` is a 409 naming both states.
   */
  async transition(manager: EntityManager, id: string, from: InvoiceStatus, change: InvoiceChange, role: TransitionRole): Promise<boolean> {
    this.assertTransition(from, change.to, role);
    let sql: string;
    let params: unknown[];
    if ('submitted' in change) [sql, params] = [Q.toSubmitted, [id, from, change.to, change.submitted.issueDate, change.submitted.contentHash, change.submitted.by]];
    else if ('firstApprovedBy' in change) [sql, params] = [Q.toFirstApproved, [id, from, change.firstApprovedBy]];
    else if (change.to === 'rejected') [sql, params] = [Q.toRejected, [id, from, change.to, change.reason, change.rejectedBy]];
    else if (change.to === 'held') [sql, params] = [Q.toHeld, [id, from]];
    else if ('released' in change) [sql, params] = [Q.toReleased, [id, change.to]];
    else [sql, params] = [Q.toApproved, [id, from, change.to, change.approvedOre, change.approvedBy]];
    const [, affected] = (await manager.query(sql, params)) as [unknown, number];
    return affected === 1;
  }

  /** Whether the supplier has sent a replacement invoice or a credit note referring to this invoice's number. */
  async referringDocuments(manager: EntityManager, invoice: Pick<InvoiceRow, 'id' | 'supplierId' | 'invoiceNumber'>): Promise<{ replacement: boolean; creditNote: boolean }> {
    const rows = (await manager.query(Q.referring, [invoice.supplierId, invoice.invoiceNumber, invoice.id])) as Array<{ document_type: string; n: number }>;
    return { replacement: rows.some((r) => r.document_type === 'invoice' && r.n > 0), creditNote: rows.some((r) => r.document_type === 'credit_note' && r.n > 0) };
  }

  /** Bills those of these invoices whose approved deliveries a final statement has all paid; how many it billed. */
  async transitionBilled(manager: EntityManager, ids: string[], role: TransitionRole): Promise<number> {
    const from: InvoiceStatus[] = ['approved', 'partly_approved'];
    for (const f of from) this.assertTransition(f, 'billed', role);
    const [, affected] = (await manager.query(Q.toBilled, [ids, from, 'billed'])) as [unknown, number];
    return affected;
  }

  /** Marks paid those of these billed invoices whose approved deliveries are all paid; how many it marked. */
  async transitionPaid(manager: EntityManager, ids: string[], role: TransitionRole): Promise<number> {
    if (ids.length === 0) return 0;
    this.assertTransition('billed', 'paid', role);
    const [, affected] = (await manager.query(Q.toPaid, [ids, 'billed', 'paid'])) as [unknown, number];
    return affected;
  }

  /** Replaces the invoice's contact gaps (none: removes them), in the transaction that writes its findings. */
  async replaceContactGaps(manager: EntityManager, invoiceId: string, supplierId: string, gaps: ContactGap[]): Promise<void> {
    await manager.query(Q.deleteContactGaps, [invoiceId]);
    if (gaps.length === 0) return;
    await manager.query(Q.insertContactGaps, [invoiceId, supplierId, gaps.map((g) => g.grantReference), gaps.map((g) => g.week)]);
  }

  /** Every contact gap of a year's ISO weeks, per supplier (a rejected invoice has none, a draft none yet). */
  async contactGapsOfYear(manager: EntityManager, year: number): Promise<Array<ContactGap & { supplierId: string }>> {
    const prefix = `${String(year).padStart(4, '0')}-W`;
    const rows = (await manager.query(Q.contactGapsOfYear, [`${prefix}01`, `${prefix}53`])) as Array<{ supplier_id: string; grant_reference: string; iso_week: string }>;
    return rows.map((row) => ({ supplierId: row.supplier_id, grantReference: row.grant_reference, week: row.iso_week }));
  }

  /** Per supplier and quarter of the issue date in from..to (drafts left out): findings and session minutes invoiced, decided and approved. */
  async quarterQuality(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<QuarterQuality[]> {
    const rows = (await manager.query(Q.quarterQuality, [from, to])) as Array<{ supplier_id: string; quarter: number; findings: number; invoiced_minutes: number; decided_minutes: number; approved_minutes: number }>;
    return rows.map((r) => ({ supplierId: r.supplier_id, quarter: r.quarter, findings: r.findings, invoicedMinutes: r.invoiced_minutes, decidedMinutes: r.decided_minutes, approvedMinutes: r.approved_minutes }));
  }

  /** Per supplier: invoices and credit notes issued in from..to (drafts left out) with their error and warning counts. */
  async issuedCounts(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<IssuedCounts[]> {
    const rows = (await manager.query(Q.issuedCounts, [from, to])) as Array<{ supplier_id: string; invoices: number; errors: number; warnings: number }>;
    return rows.map((row) => ({ supplierId: row.supplier_id, invoices: row.invoices, errors: row.errors, warnings: row.warnings }));
  }

  /** A 409 naming both states when the table does not let `role` move an invoice from `from` to `to`. */
  assertTransition(from: InvoiceStatus, to: InvoiceStatus, role: TransitionRole): void {
    const problem = invoiceTransitionProblem(from, to, role);
    if (problem) throw DomainException.conflict(`The invoice cannot go from ${from} to ${to}`, [problem]);
  }
}
