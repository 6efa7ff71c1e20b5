import { randomBytes } from 'node:crypto';
import { bearer, makeUser, validCvr, type TestApp, type TestUser } from './test-app';

const procurementUsers = new WeakMap<TestApp, Promise<TestUser>>();

/** One procurement user per test app, created on first use, for the factories below. */
export function procurementUser(t: TestApp): Promise<TestUser> {
  let user = procurementUsers.get(t);
  if (!user) {
    user = makeUser(t, 'procurement');
    procurementUsers.set(t, user);
  }
  return user;
}

const teamLeaders = new WeakMap<TestApp, Promise<TestUser>>();

/** One team leader per test app, created on first use, who approves the grants the factories propose. */
export function teamLeaderUser(t: TestApp): Promise<TestUser> {
  let user = teamLeaders.get(t);
  if (!user) {
    user = makeUser(t, 'team_leader');
    teamLeaders.set(t, user);
  }
  return user;
}

/**
 * Approves a proposed grant as the test app's team leader, active from `activeFrom` (the grant's start, so the
 * worlds' invoices from the start on stay payable); the grant as the API answers it.
 */
export async function approveGrant(t: TestApp, grantId: string, activeFrom?: string): Promise<Record<string, unknown>> {
  const leader = await teamLeaderUser(t);
  const response = await t.http.post(`/api/v1/grants/${grantId}/approve`).set(bearer(leader.token)).send(activeFrom ? { activeFrom } : {});
  if (response.status !== 200) throw new Error(`approveGrant: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Record<string, unknown>;
}

export interface CreatedSupplier {
  id: string;
  cvr: string;
  name: string;
  kind: 'mentor_supplier' | 'partner_company';
}

/** Creates a supplier through the API as a procurement user. */
export async function makeSupplierViaApi(t: TestApp, overrides: Record<string, unknown> = {}): Promise<CreatedSupplier> {
  const user = await procurementUser(t);
  const body = { name: `Mentor ${randomBytes(3).toString('hex')} ApS`, cvr: validCvr(), kind: 'mentor_supplier', ...overrides };
  const response = await t.http.post('/api/v1/suppliers').set(bearer(user.token)).send(body);
  if (response.status !== 201) throw new Error(`makeSupplierViaApi: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CreatedSupplier;
}

/** Creates an agreement through the API as a procurement user: a framework 2026-01-01 – 2027-12-31 by default. */
export async function makeAgreement(t: TestApp, supplierId: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; reference: string } & Record<string, unknown>> {
  const user = await procurementUser(t);
  const body = {
    kind: 'framework',
    supplierId,
    reference: `RA-${randomBytes(4).toString('hex')}`,
    title: 'Rammeaftale om mentorstøtte',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    mentorTypes: ['retention', 'holistic'],
    ...overrides,
  };
  const response = await t.http.post('/api/v1/agreements').set(bearer(user.token)).send(body);
  if (response.status !== 201) throw new Error(`makeAgreement: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; reference: string } & Record<string, unknown>;
}

/** The audit actions recorded for an entity, newest first (read through the admin API). */
export async function auditActions(t: TestApp, admin: TestUser, entityType: string, entityId: string): Promise<Array<{ action: string; change: Record<string, unknown>; actorUserId: string | null }>> {
  const response = await t.http.get('/api/v1/audit').query({ entityType, entityId }).set(bearer(admin.token)).expect(200);
  return response.body as Array<{ action: string; change: Record<string, unknown>; actorUserId: string | null }>;
}
