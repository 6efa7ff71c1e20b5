import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { validCvr } from './support/test-app';
import { TEMPLATE_ENV, TEST_PG_URL, withDatabase } from './support/test-env';

const gap = (week: string, grantReference?: string) =>
  JSON.stringify([{ code: 'minimum_contact_missing', severity: 'warning', message: { da: '', en: '' }, values: { week, ...(grantReference ? { grantReference } : {}) } }]);

describe('contact gap migration', () => {
  it('backfills a row per invoice, grant and week from the findings of invoices that are neither drafts nor rejected', async () => {
    const name = `${process.env[TEMPLATE_ENV]}_${randomBytes(5).toString('hex')}`;
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(TEST_PG_URL, name);
    const gapAt = migrations.findIndex((m) => m.name === 'ContactGap1763889500000');
    try {
      const before = new DataSource({ type: 'postgres', url, migrations: migrations.slice(0, gapAt) });
      await before.initialize();
      await before.runMigrations({ transaction: 'each' });
      const [supplier] = (await before.query(`INSERT INTO supplier (name, cvr, kind) VALUES ('Mentor ApS', $1, 'mentor_supplier') RETURNING id`, [validCvr()])) as Array<{ id: string }>;
      const invoice = async (number: string, status: string, findings: string) =>
        ((await before.query(
          `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points, net_ore, vat_ore, total_ore, approvable_ore, findings, status)
           VALUES ($1, $2, 'invoice', 'portal', repeat('0', 64), '2026-11-01', '2026-10-01', '2026-10-31', 2500, 0, 0, 0, 0, $3, $4) RETURNING id`,
          [supplier.id, number, findings, status],
        )) as Array<{ id: string }>)[0].id;
      const validated = await invoice('F-1', 'validated', gap('2026-W42', 'MS-2026-000001'));
      await invoice('SB-2026-10', 'draft', gap('2026-W43', 'MS-2026-000001'));
      // A line's finding without a grant names the line's grant.
      await before.query(
        `INSERT INTO delivery (invoice_id, line_no, supplier_id, grant_reference, delivered_on, minutes, rate_ore, amount_ore, approvable_ore, status, findings)
         VALUES ($1, 1, $2, 'MS-2026-000002', '2026-10-05', 60, 45000, 45000, 45000, 'pending', $3), ($1, 2, $2, 'MS-2026-000001', '2026-10-06', 60, 45000, 45000, 45000, 'pending', $4)`,
        [validated, supplier.id, gap('2026-W41'), gap('2026-W42', 'MS-2026-000001')],
      );
      await before.destroy();

      const after = new DataSource({ type: 'postgres', url, migrations: migrations.slice(0, gapAt + 1) });
      await after.initialize();
      expect((await after.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['ContactGap1763889500000']);
      expect(await after.query(`SELECT invoice_id AS "invoiceId", supplier_id AS "supplierId", grant_reference AS "grantReference", iso_week AS week FROM contact_gap ORDER BY iso_week`)).toEqual([
        { invoiceId: validated, supplierId: supplier.id, grantReference: 'MS-2026-000002', week: '2026-W41' },
        { invoiceId: validated, supplierId: supplier.id, grantReference: 'MS-2026-000001', week: '2026-W42' },
      ]);
      await after.destroy();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
