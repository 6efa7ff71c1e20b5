import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { readOre } from '../common/database/money.transformer';
import type { CalendarDate } from '../common/time/calendar-date';
import type { PaymentFindingCode } from './payment-import.rules';

export interface PaymentImportRow {
  id: string;
  fileSha256: string;
  filename: string | null;
  rows: number;
  paid: number;
  unchanged: number;
  findings: number;
  createdByLabel: string;
  createdAt: Date;
}

export interface NewPaymentImport {
  fileSha256: string;
  filename: string | null;
  rows: number;
  paid: number;
  unchanged: number;
  findings: number;
  createdBy: string | null;
  createdByLabel: string;
}

export interface PaymentFindingRow {
  id: string;
  importId: string;
  statementId: string;
  statementNumber: string;
  supplierId: string;
  code: PaymentFindingCode;
  expectedOre: number;
  paidOre: number;
  paidOn: CalendarDate;
  row: number;
  createdAt: Date;
}

interface ImportRecord {
  id: string;
  file_sha256: string;
  filename: string | null;
  rows: number;
  paid: number;
  unchanged: number;
  findings: number;
  created_by_label: string;
  created_at: Date;
}

interface FindingRecord {
  id: string;
  payment_import_id: string;
  statement_id: string;
  number: string;
  supplier_id: string;
  code: PaymentFindingCode;
  expected_ore: string;
  paid_ore: string;
  paid_on: string;
  row_number: number;
  created_at: Date;
}

const IMPORT = `i.id, i.file_sha256, i.filename, i.rows, i.paid, i.unchanged, i.findings, i.created_by_label, i.created_at`;

export const PAYMENT_SQL = sqlQueries('billing/payment.store', {
  // The import of a file is kept by its hash: the same file again finds it and changes nothing.
  byHash: `SELECT ${IMPORT} FROM payment_import i WHERE i.file_sha256 = $1`,
  // Serialises imports of the same file: the second waits for the first and then finds it.
  lockHash: `SELECT pg_advisory_xact_lock(hashtext('payment-import:' || $1::text))`,
  insertImport: `
    INSERT INTO payment_import (file_sha256, filename, rows, paid, unchanged, findings, created_by, created_by_label)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
  // A finding is kept once per statement, amount and day, however often a file names it.
  insertFinding: `
    INSERT INTO payment_finding (payment_import_id, statement_id, code, expected_ore, paid_ore, paid_on, row_number)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT ON CONSTRAINT payment_finding_once DO NOTHING RETURNING id`,
  recentImports: `SELECT ${IMPORT} FROM payment_import i ORDER BY i.created_at DESC, i.id LIMIT $1`,
  findings: `
    SELECT f.id, f.payment_import_id, f.statement_id, s.number, s.supplier_id, f.code, f.expected_ore, f.paid_ore, f.paid_on::text AS paid_on,
           f.row_number, f.created_at
      FROM payment_finding f JOIN statement s ON s.id = f.statement_id
     ORDER BY f.created_at DESC, f.id LIMIT $1`,
});

const Q = PAYMENT_SQL;

function importOf(row: ImportRecord): PaymentImportRow {
  return {
    id: row.id,
    fileSha256: row.file_sha256,
    filename: row.filename,
    rows: row.rows,
    paid: row.paid,
    unchanged: row.unchanged,
    findings: row.findings,
    createdByLabel: row.created_by_label,
    createdAt: row.created_at,
  };
}

/** Every query on payment_import and payment_finding. */
@Injectable()
export class PaymentStore {
  async lockHash(manager: EntityManager, sha256: string): Promise<void> {
    await manager.query(Q.lockHash, [sha256]);
  }

  async byHash(manager: EntityManager, sha256: string): Promise<PaymentImportRow | null> {
    const [row] = (await manager.query(Q.byHash, [sha256])) as ImportRecord[];
    return row ? importOf(row) : null;
  }

  async insertImport(manager: EntityManager, i: NewPaymentImport): Promise<string> {
    const [row] = (await manager.query(Q.insertImport, [i.fileSha256, i.filename, i.rows, i.paid, i.unchanged, i.findings, i.createdBy, i.createdByLabel])) as Array<{ id: string }>;
    return row.id;
  }

  /** Stores a finding; false when the same one (statement, amount, day) is kept already. */
  async insertFinding(
    manager: EntityManager,
    f: { importId: string; statementId: string; code: PaymentFindingCode; expectedOre: number; paidOre: number; paidOn: CalendarDate; row: number },
  ): Promise<boolean> {
    const rows = (await manager.query(Q.insertFinding, [f.importId, f.statementId, f.code, f.expectedOre, f.paidOre, f.paidOn, f.row])) as unknown[];
    return rows.length === 1;
  }

  async recentImports(manager: EntityManager, limit: number): Promise<PaymentImportRow[]> {
    return ((await manager.query(Q.recentImports, [limit])) as ImportRecord[]).map(importOf);
  }

  async findings(manager: EntityManager, limit: number): Promise<PaymentFindingRow[]> {
    const rows = (await manager.query(Q.findings, [limit])) as FindingRecord[];
    return rows.map((row) => ({
      id: row.id,
      importId: row.payment_import_id,
      statementId: row.statement_id,
      statementNumber: row.number,
      supplierId: row.supplier_id,
      code: row.code,
      expectedOre: readOre(row.expected_ore),
      paidOre: readOre(row.paid_ore),
      paidOn: row.paid_on,
      row: row.row_number,
      createdAt: row.created_at,
    }));
  }
}
