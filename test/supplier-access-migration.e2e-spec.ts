import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { validCvr } from './support/test-app';
import { TEMPLATE_ENV, TEST_PG_URL, withDatabase } from './support/test-env';

describe('supplier access migration', () => {
  it('closes the access of the suppliers deactivated when it runs, and only theirs', async () => {
    const name = `${process.env[TEMPLATE_ENV]}_${randomBytes(5).toString('hex')}`;
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(TEST_PG_URL, name);
    const at = migrations.findIndex((m) => m.name === 'SupplierAccessClosed1763890300000');
    try {
      const before = new DataSource({ type: 'postgres', url, migrations: migrations.slice(0, at) });
      await before.initialize();
      await before.runMigrations({ transaction: 'each' });
      const supplier = async (active: boolean) =>
        ((await before.query(`INSERT INTO supplier (name, cvr, kind, active) VALUES ('Mentor ApS', $1, 'mentor_supplier', $2) RETURNING id`, [validCvr(), active])) as Array<{ id: string }>)[0].id;
      await supplier(true);
      const closed = await supplier(false);
      await before.destroy();

      const after = new DataSource({ type: 'postgres', url, migrations: migrations.slice(0, at + 1) });
      await after.initialize();
      expect((await after.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['SupplierAccessClosed1763890300000']);
      expect(await after.query(`SELECT supplier_id AS "supplierId" FROM supplier_access_closed`)).toEqual([{ supplierId: closed }]);
      await after.destroy();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
