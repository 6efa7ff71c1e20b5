import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { TEMPLATE_ENV, TEST_PG_URL, withDatabase } from './test-env';

/**
 * Creates a migrated template database for this run; every test file copies it
 * into a database of its own, so the suite never touches demo or other data.
 */
export default async function globalSetup(): Promise<void> {
  const template = `mentor_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const dataSource = new DataSource({ type: 'postgres', url: withDatabase(TEST_PG_URL, template), migrations });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env[TEMPLATE_ENV] = template;
}
