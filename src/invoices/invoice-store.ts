import type { EntityManager } from 'typeorm';
import type { CalendarDate } from '../common/time/calendar-date';
import type { DeliveryStatus, InvoiceStatus } from './invoice-lifecycle.rules';
import type { Finding } from './invoice-validation.rules';
import type { ContactForm, TransportKind } from './parsed-invoice';

/** The SQL of invoices and deliveries, shared by intake, review and hour registration. */

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
}

export interface InvoiceRow {
  id: string;
  seq: string;
  supplierId: string;
  supplierName: string;
  invoiceNumber: string;
  documentType: 'invoice' | 'credit_note';
  source: 'portal' | 'csv' | 'ubl' | 'registration';
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
  rejectionReason: string | null;
  createdAt: Date;
  approvedAt: Date | null;
}

const money = (value: string | number | null): number | null => {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`an amount of ${value} øre is beyond the safe integer range`);
  return n;
};

export const INVOICE_COLUMNS = `i.id, i.seq::text AS seq, i.supplier_id AS "supplierId", s.name AS "supplierName", i.invoice_number AS "invoiceNumber",
  i.document_type AS "documentType", i.source, i.content_hash AS "contentHash", i.issue_date::text AS "issueDate",
  i.period_from::text AS "periodFrom", i.period_to::text AS "periodTo", i.currency, i.vat_basis_points AS "vatBasisPoints",
  i.net_ore AS "netOre", i.vat_ore AS "vatOre", i.total_ore AS "totalOre", i.approvable_ore AS "approvableOre", i.approved_ore AS "approvedOre",
  i.error_count AS "errorCount", i.warning_count AS "warningCount", i.findings, i.billing_references AS "billingReferences", i.status,
  i.second_approval_required AS "secondApprovalRequired", i.submitted_by AS "submittedBy", i.first_approved_by AS "firstApprovedBy",
  i.rejection_reason AS "rejectionReason", i.created_at AS "createdAt", i.approved_at AS "approvedAt"`;

export const INVOICE_FROM = `FROM invoice i JOIN supplier s ON s.id = i.supplier_id`;

const DELIVERY_COLUMNS = `id, invoice_id AS "invoiceId", line_no AS "lineNo", kind, grant_id AS "grantId", grant_reference AS "grantReference",
  delivered_on::text AS date, minutes, contact_form AS "contactForm", transport, rate_ore AS "rateOre", amount_ore AS "amountOre",
  approvable_ore AS "approvableOre", approved_ore AS "approvedOre", status, findings, description, credits_delivery_id AS "creditsDeliveryId"`;

export function invoiceFromRow(row: Record<string, unknown>): InvoiceRow {
  const r = row as unknown as InvoiceRow & Record<string, string | number | null>;
  return {
    ...r,
    netOre: money(r.netOre) as number,
    vatOre: money(r.vatOre) as number,
    totalOre: money(r.totalOre) as number,
    approvableOre: money(r.approvableOre) as number,
    approvedOre: money(r.approvedOre),
  };
}

function deliveryFromRow(row: Record<string, unknown>): DeliveryRow {
  const r = row as unknown as DeliveryRow & Record<string, string | number | null>;
  return { ...r, rateOre: money(r.rateOre) as number, amountOre: money(r.amountOre) as number, approvableOre: money(r.approvableOre) as number, approvedOre: money(r.approvedOre) };
}

export async function findInvoice(manager: EntityManager, id: string, lock = false): Promise<InvoiceRow | null> {
  const [row] = (await manager.query(`SELECT ${INVOICE_COLUMNS} ${INVOICE_FROM} WHERE i.id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`, [id])) as Record<string, unknown>[];
  return row ? invoiceFromRow(row) : null;
}

export async function deliveriesOf(manager: EntityManager, invoiceId: string): Promise<DeliveryRow[]> {
  const rows = (await manager.query(`SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE invoice_id = $1 ORDER BY line_no`, [invoiceId])) as Record<string, unknown>[];
  return rows.map(deliveryFromRow);
}

/** A delivery as intake writes it: the stored row without its ids and approval, and who registered it. */
export interface NewDelivery extends Omit<DeliveryRow, 'id' | 'invoiceId' | 'approvedOre'> {
  registeredBy: string | null;
}

const NEEDS_ESCAPE = /[\\"]/;

/**
 * A PostgreSQL array literal of text, numbers and nulls, element for element what the driver writes for a
 * JavaScript array (every element quoted, backslashes and quotes escaped), in one pass: the driver's two
 * replacements per element are most of the cost of sending a 5,000-line invoice's columns.
 */
function arrayLiteral(values: ReadonlyArray<string | number | null | undefined>): string {
  const elements = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      elements[i] = 'NULL';
      continue;
    }
    const text = String(value);
    elements[i] = NEEDS_ESCAPE.test(text) ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${text}"`;
  }
  return `{${elements.join(',')}}`;
}

/** All lines of an invoice in one statement (unnest of column arrays): thousands of lines cost one round trip. */
export async function insertDeliveries(manager: EntityManager, invoiceId: string, supplierId: string, lines: NewDelivery[]): Promise<void> {
  if (lines.length === 0) return;
  const col = <K extends keyof NewDelivery>(key: K) => arrayLiteral(lines.map((line) => line[key] as string | number | null));
  await manager.query(
    `INSERT INTO delivery (invoice_id, supplier_id, line_no, kind, grant_id, grant_reference, delivered_on, minutes, contact_form, transport,
                           rate_ore, amount_ore, approvable_ore, status, findings, description, credits_delivery_id, registered_by)
     SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::uuid[], $6::text[], $7::date[], $8::int[], $9::text[], $10::text[],
                                  $11::bigint[], $12::bigint[], $13::bigint[], $14::text[], $15::jsonb[], $16::text[], $17::uuid[], $18::uuid[])`,
    [
      invoiceId,
      supplierId,
      col('lineNo'),
      col('kind'),
      col('grantId'),
      col('grantReference'),
      col('date'),
      col('minutes'),
      col('contactForm'),
      col('transport'),
      col('rateOre'),
      col('amountOre'),
      col('approvableOre'),
      col('status'),
      arrayLiteral(lines.map((line) => JSON.stringify(line.findings))),
      col('description'),
      col('creditsDeliveryId'),
      col('registeredBy'),
    ],
  );
}

export interface DeliveryUpdate {
  id: string;
  approvableOre: number;
  approvedOre: number | null;
  status: DeliveryStatus;
  findings: Finding[];
}

/** New findings, amounts and states for many deliveries in one statement. */
export async function updateDeliveries(manager: EntityManager, updates: DeliveryUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await manager.query(
    `UPDATE delivery d SET approvable_ore = u.approvable, approved_ore = u.approved, status = u.status, findings = u.findings
       FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::jsonb[]) AS u(id, approvable, approved, status, findings)
      WHERE d.id = u.id`,
    [updates.map((u) => u.id), updates.map((u) => u.approvableOre), updates.map((u) => u.approvedOre), updates.map((u) => u.status), updates.map((u) => JSON.stringify(u.findings))],
  );
}

/** Every invoice write of a supplier takes this lock first, so week sums and ceilings see each other's lines. */
export async function lockSupplierInvoicing(manager: EntityManager, supplierId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('invoicing:' || $1::text))`, [supplierId]);
}

/**
 * What the deliveries hold on ceilings, per grant reference (the supplier's own grants only): pending is the
 * approvable amount of submitted sessions not yet decided; approved is every approved amount that stands,
 * a credited session's included and its credit's negative amount beside it.
 */
export async function ceilingUseByGrant(manager: EntityManager): Promise<Map<string, { pendingOre: number; approvedOre: number }>> {
  const rows = (await manager.query(
    `SELECT grant_reference AS "grantReference",
            coalesce(sum(approvable_ore) FILTER (WHERE kind = 'session' AND status = 'pending'), 0)::text AS pending,
            coalesce(sum(approved_ore) FILTER (WHERE status IN ('approved', 'partly_approved', 'credited')), 0)::text AS approved
       FROM delivery
      WHERE grant_id IS NOT NULL AND status IN ('pending', 'approved', 'partly_approved', 'credited')
      GROUP BY grant_reference`,
  )) as Array<{ grantReference: string; pending: string; approved: string }>;
  return new Map(rows.map((row) => [row.grantReference, { pendingOre: money(row.pending) as number, approvedOre: money(row.approved) as number }]));
}
