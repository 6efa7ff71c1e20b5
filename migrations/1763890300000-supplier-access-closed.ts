import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a supplier's users may sign in becomes the identity module's own record: the suppliers whose access
 * is closed (deactivated), which the suppliers module keeps in step in the transaction that deactivates or
 * reactivates a supplier. Sign-in and every session check read it instead of the suppliers' table, which
 * identity, below suppliers, may not read. Backfilled from the suppliers deactivated now.
 */
export class SupplierAccessClosed1763890300000 implements MigrationInterface {
  name = 'SupplierAccessClosed1763890300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE supplier_access_closed (
        supplier_id uuid PRIMARY KEY REFERENCES supplier(id) ON DELETE CASCADE,
        closed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO supplier_access_closed (supplier_id) SELECT id FROM supplier WHERE NOT active`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE supplier_access_closed`);
  }
}
