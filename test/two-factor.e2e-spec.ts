import { generateSync } from 'otplib';
import request from 'supertest';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

const codeAt = (secret: string, offsetSeconds = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('two-factor sign-in of local accounts (admin and finance required)', () => {
  let t: TestApp;
  let finance: TestUser;
  let secret: string;
  let recoveryCodes: string[];

  const login = (body: Record<string, unknown>) => t.http.post('/api/v1/auth/login').send({ email: finance.email, password: finance.password, ...body });
  const failures = async () =>
    (await t.dataSource.query(`SELECT change->>'reason' AS reason FROM audit_entry WHERE action = 'auth.login_failed' AND entity_id = $1 ORDER BY id`, [finance.id])).map((row: { reason: string }) => row.reason);

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: { TWO_FACTOR_ROLES: 'admin,finance' } });
    finance = await makeUser(t, 'finance');
  });
  afterAll(() => t.close());

  it('lets a password sign-in of a role that needs two-factor open only the set-up until it is confirmed', async () => {
    const signIn = await login({}).expect(200);
    expect(signIn.body.twoFactorSetupRequired).toBe(true);
    const refused = await t.http.get('/api/v1/invoices').set(bearer(finance.token)).expect(403);
    expect(refused.body.details).toEqual([{ rule: 'two_factor_enrolment', message: 'set up two-factor sign-in first: POST /api/v1/auth/two-factor, then /api/v1/auth/two-factor/confirm' }]);
    await t.http.get('/api/v1/auth/me').set(bearer(finance.token)).expect(200);
    expect((await t.http.get('/api/v1/auth/two-factor').set(bearer(finance.token)).expect(200)).body).toEqual({ enabled: false, required: true, recoveryCodesLeft: 0 });

    const setup = await t.http.post('/api/v1/auth/two-factor').set(bearer(finance.token)).expect(201);
    secret = setup.body.secret as string;
    expect(setup.body.otpauthUri).toBe(`otpauth://totp/Mentorportalen:${encodeURIComponent(finance.email)}?secret=${secret}&issuer=Mentorportalen`);
    const [stored] = await t.dataSource.query(`SELECT secret_ciphertext FROM user_two_factor WHERE user_id = $1`, [finance.id]);
    expect((stored.secret_ciphertext as Buffer).toString('latin1')).not.toContain(secret);

    const wrong = await t.http.post('/api/v1/auth/two-factor/confirm').set(bearer(finance.token)).send({ code: '000000' }).expect(422);
    expect(wrong.body.details).toEqual([{ field: 'code', rule: 'two_factor_code', message: 'the code is wrong or expired' }]);
    const confirmed = await t.http.post('/api/v1/auth/two-factor/confirm').set(bearer(finance.token)).send({ code: codeAt(secret) }).expect(200);
    recoveryCodes = confirmed.body.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    // The session used for the set-up now opens the portal; the codes are kept only as hashes.
    await t.http.get('/api/v1/invoices').set(bearer(finance.token)).expect(200);
    const hashes: Array<{ code_hash: string }> = await t.dataSource.query(`SELECT code_hash FROM user_recovery_code WHERE user_id = $1`, [finance.id]);
    expect(hashes).toHaveLength(10);
    expect(JSON.stringify(hashes)).not.toContain(recoveryCodes[0]);
    await t.http.post('/api/v1/auth/two-factor').set(bearer(finance.token)).expect(409);
  });

  it('asks for the code, refuses a wrong or reused one (audited, counted), and accepts a recovery code once', async () => {
    const missing = await login({}).expect(401);
    expect(missing.body.details).toEqual([{ field: 'otp', rule: 'two_factor_required', message: 'this account signs in with a code from its authenticator app as well: send it as otp' }]);
    const wrong = await login({ otp: '123456' === codeAt(secret, 30) ? '654321' : '123456' }).expect(401);
    expect(wrong.body.details).toEqual([{ field: 'otp', rule: 'two_factor_code', message: 'the code is wrong, used already or expired' }]);
    // The set-up used the current step; the next one (within the tolerance) signs in, and only once.
    const next = codeAt(secret, 30);
    const ok = await login({ otp: next }).expect(200);
    expect(ok.body.twoFactorSetupRequired).toBe(false);
    await login({ otp: next }).expect(401);
    await login({ otp: recoveryCodes[0].toLowerCase() }).expect(200);
    await login({ otp: recoveryCodes[0] }).expect(401);
    await login({ password: 'wrong-password-3', otp: codeAt(secret, 30) }).expect(401);
    expect(await failures()).toEqual(['wrong_second_factor', 'wrong_second_factor', 'wrong_second_factor', 'wrong_password']);
    const methods = await t.dataSource.query(`SELECT method FROM auth_session WHERE user_id = $1 ORDER BY created_at`, [finance.id]);
    expect(methods.map((row: { method: string }) => row.method)).toEqual(['password', 'password', 'password_totp', 'password_totp']);
    expect((await t.http.get('/api/v1/auth/two-factor').set(bearer(finance.token)).expect(200)).body).toEqual({ enabled: true, required: true, recoveryCodesLeft: 9 });
  });

  it('gives new recovery codes for a valid code, the old ones then stop working', async () => {
    const renewed = await t.http.post('/api/v1/auth/two-factor/recovery-codes').set(bearer(finance.token)).send({ code: recoveryCodes[1] }).expect(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    await login({ otp: recoveryCodes[2] }).expect(401);
    await login({ otp: renewed.body.recoveryCodes[0] }).expect(200);
  });

  it('leaves a role that does not need two-factor with its password alone, and lets an admin reset a lost app', async () => {
    const caseworker = await makeUser(t, 'caseworker');
    const signIn = await t.http.post('/api/v1/auth/login').send({ email: caseworker.email, password: caseworker.password }).expect(200);
    expect(signIn.body.twoFactorSetupRequired).toBe(false);
    await t.http.get('/api/v1/grants').set(bearer(caseworker.token)).expect(200);

    const admin = await makeUser(t, 'admin');
    const adminSetup = await t.http.post('/api/v1/auth/two-factor').set(bearer(admin.token)).expect(201);
    await t.http.post('/api/v1/auth/two-factor/confirm').set(bearer(admin.token)).send({ code: codeAt(adminSetup.body.secret) }).expect(200);
    await t.http.post(`/api/v1/users/${finance.id}/reset-two-factor`).set(bearer(admin.token)).expect(204);
    const again = await login({}).expect(200);
    expect(again.body.twoFactorSetupRequired).toBe(true);
    const audit = await t.dataSource.query(`SELECT action FROM audit_entry WHERE entity_type = 'user' AND entity_id = $1 AND action LIKE 'user.%' ORDER BY id`, [finance.id]);
    expect(audit.map((row: { action: string }) => row.action)).toEqual(['user.created', 'user.two_factor_started', 'user.two_factor_enabled', 'user.recovery_codes_renewed', 'user.two_factor_reset']);
  });

  it('walks the pages: a required role is sent to the set-up, sees its recovery codes once, and then signs in with password and code', async () => {
    const admin = await makeUser(t, 'admin');
    const agent = request.agent(t.app.getHttpServer());
    let page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: admin.email, password: admin.password, next: '/admin/users' }).expect(303).expect('Location', '/account/two-factor');
    expect((await agent.get('/admin/users').set('Accept', 'text/html').expect(403)).text).toContain('Du skal oprette totrinslogin, før du kan bruge portalen.');
    page = await agent.get('/account/two-factor').expect(200);
    expect(page.text).toContain('Din rolle skal bruge totrinslogin');
    page = await agent.post('/account/two-factor/begin').type('form').send({ _csrf: csrfOf(page.text) }).expect(200);
    expect(page.text).toContain('<svg');
    const pageSecret = /id="totp-secret">([A-Z2-7]+)</.exec(page.text)![1];
    await agent.post('/account/two-factor/confirm').type('form').send({ _csrf: csrfOf(page.text), code: '000000' }).expect(422);
    page = await agent.post('/account/two-factor/confirm').type('form').send({ _csrf: csrfOf(page.text), code: codeAt(pageSecret) }).expect(200);
    expect(page.text.match(/<li><code>[A-Z0-9]{5}-[A-Z0-9]{5}<\/code><\/li>/g)).toHaveLength(10);
    await agent.get('/admin/users').expect(200);
    expect((await agent.get('/account/two-factor').expect(200)).text).not.toContain('<code>');

    const fresh = request.agent(t.app.getHttpServer());
    page = await fresh.get('/login').expect(200);
    page = await fresh.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: admin.email, password: admin.password, next: '/admin/users' }).expect(200);
    expect(page.text).toContain('Kode fra godkendelsesappen');
    page = await fresh.post('/login/code').type('form').send({ _csrf: csrfOf(page.text), code: '000000' }).expect(401);
    expect(page.text).toContain('Koden er forkert, allerede brugt eller udløbet.');
    await fresh.post('/login/code').type('form').send({ _csrf: csrfOf(page.text), code: codeAt(pageSecret, 30) }).expect(303).expect('Location', '/admin/users');
    await fresh.get('/admin/users').expect(200);
    // Without the password step's cookie the code step opens nothing.
    const stranger = request.agent(t.app.getHttpServer());
    page = await stranger.get('/login').expect(200);
    await stranger.post('/login/code').type('form').send({ _csrf: csrfOf(page.text), code: codeAt(pageSecret, 30) }).expect(401);
  });
});
