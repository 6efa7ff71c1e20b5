import request from 'supertest';
import { systemActor } from '../src/common/actor';
import { UsersService } from '../src/identity/users.service';
import { auditActions, makeSupplierViaApi, procurementUser } from './support/factories';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** Signs in through the sign-in page; the agent keeps the session cookie. */
async function pageSignIn(t: TestApp, email: string, password: string) {
  const agent = request.agent(t.app.getHttpServer());
  const form = await agent.get('/login').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  const response = await agent.post('/login').type('form').send({ _csrf: csrf, email, password });
  return { agent, response };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const signIn = async (t: TestApp, { email, password }: { email: string; password: string }) => ((await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200)).body as { accessToken: string }).accessToken;

describe('sessions: idle timeout, sign out everywhere, own password', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { SESSION_IDLE_MINUTES: '30' } });
    admin = await makeUser(t, 'admin');
  });
  afterAll(() => t.close());

  const lastSeen = async (token: string): Promise<Date> =>
    ((await t.dataSource.query(`SELECT last_seen_at FROM auth_session WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [token])) as Array<{ last_seen_at: Date }>)[0].last_seen_at;
  const setLastSeen = (token: string, ago: string) => t.dataSource.query(`UPDATE auth_session SET last_seen_at = now() - $2::interval WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [token, ago]);

  it('ends a session unused for longer than SESSION_IDLE_MINUTES', async () => {
    const user = await makeUser(t, 'caseworker');
    await setLastSeen(user.token, '31 minutes');
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
    const fresh = await signIn(t, user);
    await setLastSeen(fresh, '29 minutes');
    await t.http.get('/api/v1/auth/me').set(bearer(fresh)).expect(200);
  });

  it('moves the last use forward on use, but writes it at most once a minute', async () => {
    const user = await makeUser(t, 'caseworker');
    await setLastSeen(user.token, '5 minutes');
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(200);
    const moved = await lastSeen(user.token);
    expect(Date.now() - moved.getTime()).toBeLessThan(10_000);
    await setLastSeen(user.token, '30 seconds');
    const before = await lastSeen(user.token);
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(200);
    expect((await lastSeen(user.token)).toISOString()).toBe(before.toISOString());
  });

  it('signs out everywhere through the API: every session of the user ends, others stay, and it is audited', async () => {
    const user = await makeUser(t, 'finance');
    const other = await makeUser(t, 'finance');
    const second = await signIn(t, user);
    const { agent } = await pageSignIn(t, user.email, user.password);
    await agent.get('/account').expect(200);
    await t.http.post('/api/v1/auth/logout-all').set(bearer(second)).expect(204);
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
    await t.http.get('/api/v1/auth/me').set(bearer(second)).expect(401);
    await agent.get('/account').expect(303).expect('Location', '/login?next=%2Faccount');
    await t.http.get('/api/v1/auth/me').set(bearer(other.token)).expect(200);
    const audit = await auditActions(t, admin, 'user', user.id);
    expect(audit.find((entry) => entry.action === 'auth.logout_all')).toMatchObject({ actorUserId: user.id, change: { sessions: 3 } });
  });

  it('signs out everywhere from the account page', async () => {
    const user = await makeUser(t, 'procurement');
    const { agent } = await pageSignIn(t, user.email, user.password);
    const page = await agent.get('/account').expect(200);
    expect(page.text).toContain('Log ud alle steder');
    await agent.post('/account/logout-all').type('form').send({ _csrf: csrfOf(page.text) }).expect(303).expect('Location', '/login');
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
  });

  it('changes the own password through the API: current password required, policy applied, other sessions end, audited', async () => {
    const user = await makeUser(t, 'caseworker');
    const second = await signIn(t, user);
    const change = (body: object) => t.http.post('/api/v1/auth/password').set(bearer(user.token)).send(body);

    expect((await change({ currentPassword: 'not-the-password', newPassword: 'Et-nyt-kodeord-2026' }).expect(422)).body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The current password is not correct',
      details: [{ field: 'currentPassword', rule: 'current_password', message: 'the current password is not correct' }],
    });
    expect((await change({ currentPassword: user.password, newPassword: 'short' }).expect(422)).body.details).toEqual([
      { field: 'newPassword', rule: 'minLength', message: 'newPassword must be at least 12 characters' },
    ]);
    expect((await change({ currentPassword: user.password, newPassword: user.password }).expect(422)).body.details).toEqual([
      { field: 'newPassword', rule: 'differs_from_current', message: 'newPassword must differ from currentPassword' },
    ]);
    expect((await change({ currentPassword: user.password, newPassword: 'aaaaaaaaaaaa' }).expect(422)).body.details).toEqual([
      { field: 'newPassword', rule: 'password_strength', message: 'newPassword is too easy to guess: Repeated characters like "aaa" are easy to guess.', values: { score: 0, minScore: 3 } },
    ]);
    await t.http.get('/api/v1/auth/me').set(bearer(second)).expect(200);

    await change({ currentPassword: user.password, newPassword: 'Et-nyt-kodeord-2026' }).expect(204);
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(200);
    await t.http.get('/api/v1/auth/me').set(bearer(second)).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'Et-nyt-kodeord-2026' }).expect(200);
    const audit = await auditActions(t, admin, 'user', user.id);
    expect(audit.filter((entry) => entry.action.startsWith('user.password')).map(({ action, change, actorUserId }) => ({ action, change, actorUserId }))).toEqual([
      { action: 'user.password_changed', change: { otherSessionsEnded: 1 }, actorUserId: user.id },
      { action: 'user.password_change_failed', change: { reason: 'wrong_current_password' }, actorUserId: user.id },
    ]);
  });

  it('changes the own password from the account page', async () => {
    const user = await makeUser(t, 'finance');
    const { agent } = await pageSignIn(t, user.email, user.password);
    const page = await agent.get('/account').expect(200);
    const wrong = await agent.post('/account/password').type('form').send({ _csrf: csrfOf(page.text), currentPassword: 'forkert-kodeord', newPassword: 'Side-kodeord-2026!' }).expect(422);
    expect(wrong.text).toContain('<a href="#current-password">Nuværende adgangskode</a>: Den nuværende adgangskode er ikke korrekt.');
    await agent.post('/account/password').type('form').send({ _csrf: csrfOf(page.text), currentPassword: user.password, newPassword: 'Side-kodeord-2026!' }).expect(303).expect('Location', '/account?notice=password');
    expect((await agent.get('/account?notice=password').expect(200)).text).toContain('Din adgangskode er skiftet, og du er logget ud alle andre steder.');
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'Side-kodeord-2026!' }).expect(200);
  });

  it('refuses the users of a deactivated supplier at sign-in, saying so, and ends their sessions', async () => {
    const procurement = await procurementUser(t);
    const supplier = await makeSupplierViaApi(t, { kind: 'partner_company' });
    const user = await makeUser(t, 'supplier', supplier.id);
    const { agent } = await pageSignIn(t, user.email, user.password);
    await t.http.patch(`/api/v1/suppliers/${supplier.id}`).set(bearer(procurement.token)).send({ active: false }).expect(200);

    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
    await agent.get('/account').expect(303);
    expect((await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(403)).body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: "Your company's access to the portal is closed because the supplier is deactivated. Contact the job centre.",
      details: [{ rule: 'supplier_active', message: "the user's supplier is deactivated" }],
    });
    const danish = await t.http.post('/api/v1/auth/login').set('Accept-Language', 'da').send({ email: user.email, password: user.password }).expect(403);
    expect(danish.body.message).toBe('Din virksomheds adgang til portalen er lukket, fordi leverandøren er deaktiveret. Kontakt jobcentret.');
    // Only whoever knows the password learns it: a wrong one is the usual 401.
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'wrong-password-123' }).expect(401);
    const page = await pageSignIn(t, user.email, user.password);
    expect(page.response.status).toBe(403);
    expect(page.response.text).toContain('Din virksomheds adgang til portalen er lukket, fordi leverandøren er deaktiveret. Kontakt jobcentret.');
    const audit = await auditActions(t, admin, 'user', user.id);
    expect(audit.filter((entry) => entry.action === 'auth.login_failed').map((entry) => entry.change.reason)).toEqual(['supplier_inactive', 'wrong_password', 'supplier_inactive', 'supplier_inactive']);
    // A user linked to the supplier after its deactivation is shut out as well.
    const later = { email: `later-${supplier.id.slice(0, 8)}@test.mentorportal.dk`, password: 'Senere-kodeord-2026!' };
    await t.app.get(UsersService).create({ ...later, displayName: 'Senere bruger', role: 'supplier', supplierId: supplier.id, language: 'da' }, systemActor('test'));
    expect((await t.http.post('/api/v1/auth/login').send(later).expect(403)).body.details).toEqual([{ rule: 'supplier_active', message: "the user's supplier is deactivated" }]);

    await t.http.patch(`/api/v1/suppliers/${supplier.id}`).set(bearer(procurement.token)).send({ active: true }).expect(200);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
  });

  it('answers API calls and pages with Cache-Control: no-store, and lets static assets be cached', async () => {
    for (const path of ['/api/v1/auth/me', '/api/v1/users']) {
      expect((await t.http.get(path).set(bearer(admin.token)).expect(200)).headers['cache-control']).toBe('no-store');
    }
    expect((await t.http.get('/api/v1/users').expect(401)).headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/login').expect(200)).headers['cache-control']).toBe('no-store');
    const { agent } = await pageSignIn(t, admin.email, admin.password);
    expect((await agent.get('/admin/users').expect(200)).headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/static/app.css').expect(200)).headers['cache-control']).toBe('public, max-age=3600');
  });
});
