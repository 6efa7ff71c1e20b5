import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { ResponseCode, ResponseReason } from './business-response.rules';

export interface BusinessResponseRow {
  id: string;
  seq: string;
  invoiceId: string;
  supplierId: string;
  code: ResponseCode;
  trigger: string;
  reasons: ResponseReason[];
  outboxStatus: 'pending' | 'sent';
  createdAt: Date;
  /** In the outbox: whether no later response to the same invoice exists. */
  latest?: boolean;
}

export const BUSINESS_RESPONSE_SQL = sqlQueries('invoices/business-response.store', {
  insert: `
    INSERT INTO business_response (id, invoice_id, supplier_id, response_code, trigger, reasons, peppol_xml, oioubl_xml)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  latestOf: `
    SELECT id, seq::text AS seq, invoice_id, supplier_id, response_code, trigger, reasons, outbox_status, created_at
      FROM business_response WHERE invoice_id = $1 ORDER BY seq DESC LIMIT 1`,
  xmlOf: `SELECT peppol_xml, oioubl_xml FROM business_response WHERE id = $1`,
  // The outbox, newest first, with a keyset cursor; a supplier's own ($1), or every supplier's ($1 null). `latest`:
  // no later response to the same invoice (the one GET /invoices/:id/response.xml serves).
  outbox: `
    SELECT id, seq::text AS seq, invoice_id, supplier_id, response_code, trigger, reasons, outbox_status, created_at,
           NOT EXISTS (SELECT 1 FROM business_response later WHERE later.invoice_id = r.invoice_id AND later.seq > r.seq) AS latest
      FROM business_response r WHERE ($1::uuid IS NULL OR supplier_id = $1) AND ($2::bigint IS NULL OR seq < $2)
     ORDER BY seq DESC LIMIT $3`,
});

const Q = BUSINESS_RESPONSE_SQL;

interface Record_ {
  id: string;
  seq: string;
  invoice_id: string;
  supplier_id: string;
  response_code: ResponseCode;
  trigger: string;
  reasons: ResponseReason[];
  outbox_status: 'pending' | 'sent';
  created_at: Date;
  latest?: boolean;
}

const rowOf = (r: Record_): BusinessResponseRow => ({
  id: r.id,
  seq: r.seq,
  invoiceId: r.invoice_id,
  supplierId: r.supplier_id,
  code: r.response_code,
  trigger: r.trigger,
  reasons: r.reasons,
  outboxStatus: r.outbox_status,
  createdAt: r.created_at,
  ...(r.latest === undefined ? {} : { latest: r.latest }),
});

/** Every query on business_response: the responses as generated (immutable) and the outbox of what would be sent. */
@Injectable()
export class BusinessResponseStore {
  async insert(manager: EntityManager, r: { id: string; invoiceId: string; supplierId: string; code: ResponseCode; trigger: string; reasons: ResponseReason[]; peppolXml: string; oioublXml: string }): Promise<void> {
    await manager.query(Q.insert, [r.id, r.invoiceId, r.supplierId, r.code, r.trigger, JSON.stringify(r.reasons), r.peppolXml, r.oioublXml]);
  }

  async latestOf(manager: EntityManager, invoiceId: string): Promise<BusinessResponseRow | null> {
    const [row] = (await manager.query(Q.latestOf, [invoiceId])) as Record_[];
    return row ? rowOf(row) : null;
  }

  async xmlOf(manager: EntityManager, id: string): Promise<{ peppol: string; oioubl: string } | null> {
    const [row] = (await manager.query(Q.xmlOf, [id])) as Array<{ peppol_xml: string; oioubl_xml: string }>;
    return row ? { peppol: row.peppol_xml, oioubl: row.oioubl_xml } : null;
  }

  async outbox(manager: EntityManager, supplierId: string | null, after: string | null, limit: number): Promise<BusinessResponseRow[]> {
    return ((await manager.query(Q.outbox, [supplierId, after, limit])) as Record_[]).map(rowOf);
  }
}
