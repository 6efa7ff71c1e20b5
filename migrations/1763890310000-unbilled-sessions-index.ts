import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The month close sums a batch of suppliers' unbilled approved sessions per supplier and invoice. The index of
 * unbilled deliveries becomes one of unbilled sessions that also holds what the sums read (invoice, minutes,
 * approved øre), so a batch's totals are read from the index alone, not from the deliveries' rows scattered
 * over the table. It still finds the suppliers with something to bill and a window's sessions.
 */
export class UnbilledSessionsIndex1763890310000 implements MigrationInterface {
  name = 'UnbilledSessionsIndex1763890310000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX delivery_unbilled_session_idx ON delivery (supplier_id, delivered_on) INCLUDE (invoice_id, minutes, approved_ore)
       WHERE kind = 'session' AND billed_by_statement_id IS NULL AND status IN ('approved', 'partly_approved')`);
    await queryRunner.query(`DROP INDEX delivery_unbilled_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX delivery_unbilled_idx ON delivery (supplier_id, delivered_on) WHERE billed_by_statement_id IS NULL AND status IN ('approved', 'partly_approved')`);
    await queryRunner.query(`DROP INDEX delivery_unbilled_session_idx`);
  }
}
