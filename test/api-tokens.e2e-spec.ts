import fc from 'fast-check';
import request from 'supertest';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

interface AuditRow {
  action: string;
  actorRole: string | null;
  actorLabel: string | null;
  entityType: string;
  entityId: string | null;
  change: Record<string, unknown>;
}

describe('API tokens of service accounts', () => {
  let t: TestApp;
  let admin: TestUser;
  let caseSystem: { id: string };
  let token: string;
  let tokenId: string;
  let citizens = 0;

  const citizenBody = () => ({ cpr: `${String(10 + citizens++).padStart(2, '0')}0390-4711`, name: 'Borger Integration', caseNumber: `J-API-${citizens}`, targetGroup: 'sickness_benefit' });
  const auditOf = async (query: Record<string, string>): Promise<AuditRow[]> => (await t.http.get('/api/v1/audit').query(query).set(bearer(admin.token)).expect(200)).body as AuditRow[];
  const count = async (table: string): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
  const issue = async (serviceAccountId: string, validDays?: number) =>
    (await t.http.post('/api/v1/api-tokens').set(bearer(admin.token)).send({ serviceAccountId, validDays }).expect(201)).body as { id: string; token: string; hint: string; expiresAt: string };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    admin = await makeUser(t, 'admin');
    const created = await t.http
      .post('/api/v1/api-tokens/service-accounts')
      .set(bearer(admin.token))
      .send({ name: 'case-system', description: 'Momentum', scopes: ['case-system:write', 'case-system:write'] })
      .expect(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'case-system', description: 'Momentum', scopes: ['case-system:write'], active: true, createdAt: expect.any(String), tokens: [] });
    caseSystem = created.body as { id: string };
    const issued = await issue(caseSystem.id, 30);
    token = issued.token;
    tokenId = issued.id;
  });
  afterAll(() => t.close());

  it('shows the token once and keeps only its hash, with expiry and hint', async () => {
    expect(token).toMatch(/^mpt_[\w-]{43}$/);
    const rows: Array<{ token_hash: string; hint: string; days: number }> = await t.dataSource.query(`SELECT token_hash, hint, round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days FROM api_token WHERE id = $1`, [tokenId]);
    expect(rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), hint: token.slice(0, 8), days: 30 }]);
    const listed = await t.http.get('/api/v1/api-tokens').set(bearer(admin.token)).expect(200);
    expect(listed.text).not.toContain(token);
    expect(listed.body).toEqual([expect.objectContaining({ name: 'case-system', tokens: [expect.objectContaining({ id: tokenId, hint: token.slice(0, 8), lastUsedAt: null, revokedAt: null })] })]);
  });

  it('lets the token call a route its scope opens, audits the call and the change under the service account, and records its last use', async () => {
    const created = await t.http.post('/api/v1/citizens').set(bearer(token)).send(citizenBody()).expect(201);
    const calls = await auditOf({ entityType: 'service_account', entityId: caseSystem.id, action: 'api_token.call' });
    expect(calls.map(({ action, actorRole, actorLabel, change }) => ({ action, actorRole, actorLabel, change }))).toEqual([
      { action: 'api_token.call', actorRole: 'service', actorLabel: 'service:case-system', change: { tokenId, method: 'POST', path: '/api/v1/citizens', scope: 'case-system:write' } },
    ]);
    const change = await auditOf({ entityType: 'citizen', entityId: (created.body as { id: string }).id });
    expect(change.map(({ action, actorRole, actorLabel }) => ({ action, actorRole, actorLabel }))).toEqual([{ action: 'citizen.created', actorRole: 'service', actorLabel: 'service:case-system' }]);
    const [row] = await t.dataSource.query(`SELECT last_used_at FROM api_token WHERE id = $1`, [tokenId]);
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  it.each([
    ['GET', '/api/v1/citizens', ''],
    ['GET', '/api/v1/statements', 'statements:read'],
    ['GET', '/api/v1/auth/me', ''],
    ['GET', '/api/v1/api-tokens', ''],
  ])('refuses %s %s with 403 when its scopes do not open it, and audits the attempt', async (method, path, needed) => {
    const response = await t.http[method.toLowerCase() as 'get'](path).set(bearer(token)).expect(403);
    expect(response.body.details).toEqual([{ rule: 'api_scope', message: needed ? `the service account lacks ${needed}` : 'no scope opens this route to a service account' }]);
    const refused = await auditOf({ entityType: 'service_account', entityId: caseSystem.id, action: 'api_token.call_refused' });
    expect(refused[0].change).toEqual({ tokenId, method, path, scope: null });
  });

  it('refuses a revoked, an expired, an unknown token and one of a deactivated account with 401, creates nothing, and audits each with its reason', async () => {
    const revoked = await issue(caseSystem.id);
    const revokedAnswer = await t.http.post(`/api/v1/api-tokens/${revoked.id}/revoke`).set(bearer(admin.token)).expect(200);
    expect(revokedAnswer.body.revokedAt).toEqual(expect.any(String));
    await t.http.post(`/api/v1/api-tokens/${revoked.id}/revoke`).set(bearer(admin.token)).expect(200);
    const expired = await issue(caseSystem.id);
    await t.dataSource.query(`UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id = $1`, [expired.id]);
    const other = (await t.http.post('/api/v1/api-tokens/service-accounts').set(bearer(admin.token)).send({ name: 'finance-system', scopes: ['statements:read'] }).expect(201)).body as { id: string };
    const inactive = await issue(other.id);
    await t.http.patch(`/api/v1/api-tokens/service-accounts/${other.id}`).set(bearer(admin.token)).send({ active: false }).expect(200);

    const before = await count('citizen');
    for (const bad of [revoked.token, expired.token, inactive.token, `mpt_${'x'.repeat(43)}`]) {
      const response = await t.http.post('/api/v1/citizens').set(bearer(bad)).send(citizenBody()).expect(401);
      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Sign in to use this resource', details: [] });
    }
    expect(await count('citizen')).toBe(before);
    const refused = await auditOf({ action: 'api_token.refused' });
    expect(refused.map(({ entityId, change }) => ({ entityId, change })).reverse()).toEqual([
      { entityId: caseSystem.id, change: { tokenId: revoked.id, reason: 'revoked' } },
      { entityId: caseSystem.id, change: { tokenId: expired.id, reason: 'expired' } },
      { entityId: other.id, change: { tokenId: inactive.id, reason: 'account_inactive' } },
      { entityId: null, change: { reason: 'unknown', hint: 'mpt_xxxx' } },
    ]);
    const trail = await auditOf({ entityType: 'service_account', entityId: caseSystem.id });
    expect(trail.map((entry) => entry.action)).toEqual(expect.arrayContaining(['service_account.created', 'api_token.issued', 'api_token.revoked']));
    expect(JSON.stringify(trail)).not.toContain(revoked.token);
  });

  it('answers random bearer tokens with 401 in the error shape, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 120 }).map((rest) => `mpt_${rest.replace(/\s/g, '')}`), fc.stringMatching(/^mpt_[\w-]{43}$/)), async (bad) => {
        const response = await t.http.get('/api/v1/statements').set('Authorization', `Bearer ${bad}`);
        expect({ status: response.status, shape: response.body.statusCode }).toEqual({ status: 401, shape: 401 });
      }),
      { numRuns: 30, endOnFailure: true },
    );
  });

  it('refuses unknown scopes, a bad name and a duplicate name', async () => {
    const bad = await t.http.post('/api/v1/api-tokens/service-accounts').set(bearer(admin.token)).send({ name: 'x', scopes: ['everything'] }).expect(422);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['name', 'scopes']);
    await t.http.post('/api/v1/api-tokens/service-accounts').set(bearer(admin.token)).send({ name: 'case-system', scopes: ['postings:read'] }).expect(409);
    await t.http.post('/api/v1/api-tokens').set(bearer(admin.token)).send({ serviceAccountId: caseSystem.id, validDays: 366 }).expect(422);
  });

  it('lets admin keep service accounts on the page: create one with scopes, see its token once, revoke it; and shows who signs in how', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: admin.email, password: admin.password }).expect(303);
    let page = await agent.get('/admin/service-accounts').expect(200);
    expect(page.text).toContain('case-system');
    await agent.post('/admin/service-accounts').type('form').send({ _csrf: csrfOf(page.text), name: 'okonomi', description: 'Økonomisystemet', scopes: ['statements:read', 'postings:read'] }).expect(303);
    const [account] = await t.dataSource.query(`SELECT id, scopes FROM service_account WHERE name = 'okonomi'`);
    expect(account.scopes).toEqual(['statements:read', 'postings:read']);
    page = await agent.get('/admin/service-accounts').expect(200);
    page = await agent.post(`/admin/service-accounts/${account.id}/tokens`).type('form').send({ _csrf: csrfOf(page.text), validDays: '10' }).expect(200);
    const shown = /id="issued-token">(mpt_[\w-]+)</.exec(page.text)![1];
    await t.http.get('/api/v1/statements').set(bearer(shown)).expect(200);
    page = await agent.get('/admin/service-accounts').expect(200);
    expect(page.text).not.toContain(shown);
    expect(page.text).toContain(shown.slice(0, 8));
    const [token] = await t.dataSource.query(`SELECT id FROM api_token WHERE service_account_id = $1`, [account.id]);
    await agent.post(`/admin/service-accounts/tokens/${token.id}/revoke`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    await t.http.get('/api/v1/statements').set(bearer(shown)).expect(401);

    const overview = await agent.get('/admin/sign-in').expect(200);
    expect(overview.text).toContain('Hvem logger ind hvordan');
    expect(overview.text).toContain(admin.email);
    expect(overview.text).toContain('Ikke sat op');
    const caseworker = await makeUser(t, 'caseworker');
    await request(t.app.getHttpServer()).get('/admin/sign-in').set(bearer(caseworker.token)).set('Accept', 'text/html').expect(403);
    await request(t.app.getHttpServer()).get('/admin/service-accounts').set(bearer(caseworker.token)).set('Accept', 'text/html').expect(403);
  });
});
