import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weeks without minimum contact become a read model the invoices module writes with an invoice's findings
 * (at intake, at a month's submission and at approval; removed when the invoice is rejected), so the supplier
 * performance report reads rows instead of searching JSON findings for a code. One row per invoice, grant and
 * ISO week; drafts have none. Backfilled from the findings of every invoice that is neither a draft nor rejected.
 */
export class ContactGap1763889500000 implements MigrationInterface {
  name = 'ContactGap1763889500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE contact_gap (
        invoice_id uuid NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
        supplier_id uuid NOT NULL,
        grant_reference text NOT NULL,
        iso_week text NOT NULL CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
        PRIMARY KEY (invoice_id, grant_reference, iso_week)
      )`);
    // The report reads a year's weeks: '2026-W' .. '2026-X' bounds them on the key's prefix.
    await q(`CREATE INDEX contact_gap_week_idx ON contact_gap (iso_week) INCLUDE (supplier_id, grant_reference)`);
    await q(`
      INSERT INTO contact_gap (invoice_id, supplier_id, grant_reference, iso_week)
      SELECT i.id, i.supplier_id, f->'values'->>'grantReference', f->'values'->>'week'
        FROM invoice i CROSS JOIN LATERAL jsonb_array_elements(i.findings) f
       WHERE i.status NOT IN ('draft', 'rejected') AND f->>'code' = 'minimum_contact_missing'
         AND f->'values'->>'grantReference' IS NOT NULL AND f->'values'->>'week' ~ '^[0-9]{4}-W[0-9]{2}$'
      UNION
      SELECT i.id, d.supplier_id, COALESCE(f->'values'->>'grantReference', d.grant_reference), f->'values'->>'week'
        FROM delivery d JOIN invoice i ON i.id = d.invoice_id CROSS JOIN LATERAL jsonb_array_elements(d.findings) f
       WHERE i.status NOT IN ('draft', 'rejected') AND f->>'code' = 'minimum_contact_missing' AND f->'values'->>'week' ~ '^[0-9]{4}-W[0-9]{2}$'
      ON CONFLICT DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE contact_gap`);
  }
}
