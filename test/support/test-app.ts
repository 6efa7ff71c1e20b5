import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/bootstrap';
import { systemActor, type Role } from '../../src/common/actor';
import { loadConfig, type AppConfig } from '../../src/common/config/app-config';
import { JobQueue } from '../../src/common/queue/job-queue';
import { UsersService } from '../../src/identity/users.service';
import { SuppliersService } from '../../src/suppliers/suppliers.service';
import { cprNumbersIn } from './cpr-scan';
import { TEMPLATE_ENV, TEST_PG_URL, TEST_REDIS_URL, TEST_TODAY, withDatabase } from './test-env';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  dataSource: DataSource;
  databaseUrl: string;
  /** The Redis key prefix of this app's queues, when it runs on Redis. */
  queuePrefix: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Run queues on the real Redis (default) or in-process. */
  redis?: boolean;
  env?: Record<string, string>;
  /** `api` leaves the jobs to worker processes (with Redis); `all` runs them here too (default). */
  mode?: 'all' | 'api';
}

/** A fresh database copied from the run's migrated template. */
export async function createTestDatabase(): Promise<string> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('The integration suite needs its global setup (run it through jest)');
  const name = `${template}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return withDatabase(TEST_PG_URL, name);
}

export function testConfig(databaseUrl: string, options: TestAppOptions = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ...(options.redis === false ? {} : { REDIS_URL: TEST_REDIS_URL }),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    CPR_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    // Debug level everywhere: test/support/log-sweep.ts searches every line for a CPR number.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'debug',
    // The whole suite signs in from one address; the budgets have their own tests (auth, sign-in-flood).
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_ADDRESS_LIMIT: '1000',
    LOGIN_GLOBAL_LIMIT: '10000',
    BUSINESS_DATE: TEST_TODAY,
    // The suite signs admin and finance in with a password alone; test/two-factor.e2e-spec.ts asks them for a code.
    TWO_FACTOR_ROLES: 'none',
    ...options.env,
  });
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const config = testConfig(databaseUrl, options);
  const queuePrefix = `mtest:${randomBytes(6).toString('hex')}`;
  const app = await createHttpApp({ config, mode: options.mode ?? 'all', databaseUrl, embedded: false, queuePrefix });
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    dataSource: app.get(DataSource),
    databaseUrl,
    queuePrefix,
    close: async () => {
      await app.get(JobQueue).drain();
      // Mails are swept as logs are: every mail the app stored (sent or kept in the outbox) is searched for a CPR number.
      // (A test that took the database away has no mails to search.)
      const leaks = await cprNumbersInMails(app.get(DataSource)).catch(() => []);
      await app.close();
      if (leaks.length > 0) throw new Error(`A CPR number reached a mail (${leaks.length}):\n${leaks.slice(0, 20).join('\n')}`);
    },
  };
}

/** The CPR-shaped numbers in the stored mails, each with the mail's subject. */
export async function cprNumbersInMails(dataSource: DataSource): Promise<string[]> {
  const mails = (await dataSource.query(`SELECT subject, body_text, body_html FROM mail_outbox`)) as Array<{ subject: string; body_text: string; body_html: string }>;
  return mails.flatMap((mail) => cprNumbersIn(`${mail.subject}\n${mail.body_text}\n${mail.body_html}`).map((cpr) => `${cpr} in the mail "${mail.subject}"`));
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  token: string;
}

/** Creates a user through the real service and signs in through the real endpoint. */
export async function makeUser(testApp: TestApp, role: Role, supplierId: string | null = null): Promise<TestUser> {
  const email = `${role}-${randomBytes(4).toString('hex')}@test.mentorportal.dk`;
  const password = `Test-${randomBytes(8).toString('hex')}`;
  const user = await testApp.app.get(UsersService).create({ email, displayName: `Test ${role}`, role, supplierId, password, language: 'da' }, systemActor('test'));
  const response = await testApp.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  return { id: user.id, email, password, role, token: (response.body as { accessToken: string }).accessToken };
}

/** A mentor supplier with a valid CVR, created through the suppliers service (audited like any other). */
export async function makeSupplier(testApp: TestApp, name = 'Test Mentor ApS'): Promise<{ id: string; cvr: string }> {
  const supplier = await testApp.app.get(SuppliersService).create({ name, cvr: validCvr(), kind: 'mentor_supplier' }, systemActor('test'));
  return { id: supplier.id, cvr: supplier.cvr };
}


const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];
/** A random CVR number that passes the modulus-11 check. */
export function validCvr(): string {
  for (;;) {
    const digits = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
    const sum = [...digits].reduce((acc, digit, index) => acc + Number(digit) * CVR_WEIGHTS[index], 0);
    if (sum % 11 === 0) return digits;
  }
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
