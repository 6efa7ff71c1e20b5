import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes in the order the busiest lists read their rows, so that a page is the first rows of an index rather
 * than a sort of every match: finance's inbox, a supplier's invoices and a supplier's grants. The two invoice
 * indexes they replace served no query the new ones do not (same leading column, an order nothing reads).
 */
export class Indexes1763888400000 implements MigrationInterface {
  name = 'Indexes1763888400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    // The inbox: one status, invoices with errors first, then with warnings, then in the order of receipt.
    await q(`CREATE INDEX invoice_inbox_idx ON invoice (status, (error_count > 0) DESC, (warning_count > 0) DESC, seq)`);
    await q(`DROP INDEX invoice_status_idx`);
    // A supplier's invoices newest first, and the keyset cursor on seq.
    await q(`CREATE INDEX invoice_supplier_seq_idx ON invoice (supplier_id, seq DESC)`);
    await q(`DROP INDEX invoice_supplier_idx`);
    // A supplier's grants by reference, and the keyset cursor on reference.
    await q(`CREATE INDEX mentor_grant_supplier_reference_idx ON mentor_grant (supplier_id, reference)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP INDEX mentor_grant_supplier_reference_idx`);
    await q(`CREATE INDEX invoice_supplier_idx ON invoice (supplier_id, created_at DESC)`);
    await q(`DROP INDEX invoice_supplier_seq_idx`);
    await q(`CREATE INDEX invoice_status_idx ON invoice (status, error_count DESC, warning_count DESC, created_at)`);
    await q(`DROP INDEX invoice_inbox_idx`);
  }
}
