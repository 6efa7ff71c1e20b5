import request from 'supertest';
import { bearer, makeSupplier, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('sign-in, sessions and the error shape', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await makeUser(t, 'admin');
  });
  afterAll(() => t.close());

  it('returns a bearer token and the user for a correct password', async () => {
    const response = await t.http.post('/api/v1/auth/login').send({ email: admin.email.toUpperCase(), password: admin.password }).expect(200);
    expect(response.body).toEqual({
      accessToken: expect.stringMatching(/^mps_[\w-]{43}$/),
      tokenType: 'Bearer',
      expiresAt: expect.any(String),
      user: { id: admin.id, email: admin.email, displayName: 'Test admin', role: 'admin', supplierId: null, language: 'da' },
      twoFactorSetupRequired: false,
    });
    const me = await t.http.get('/api/v1/auth/me').set(bearer(response.body.accessToken)).expect(200);
    expect(me.body.id).toBe(admin.id);
  });

  it('stores only a hash of the token', async () => {
    const rows: Array<{ token_hash: string }> = await t.dataSource.query(`SELECT token_hash FROM auth_session WHERE user_id = $1`, [admin.id]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.map((r) => r.token_hash)).not.toContain(admin.token);
  });

  it('answers a wrong password with 401 and audits the failure', async () => {
    const response = await t.http.post('/api/v1/auth/login').send({ email: admin.email, password: 'wrong-password-123' }).expect(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'The e-mail or password is not correct', details: [] });
    await t.http.post('/api/v1/auth/login').send({ email: 'nobody@test.mentorportal.dk', password: 'whatever-123456' }).expect(401);
    const audit = await t.http.get('/api/v1/audit').query({ action: 'auth.login_failed' }).set(bearer(admin.token)).expect(200);
    const reasons = (audit.body as Array<{ change: { email: string; reason: string } }>).map((entry) => entry.change);
    expect(reasons).toEqual(
      expect.arrayContaining([
        { email: admin.email, reason: 'wrong_password' },
        { email: 'nobody@test.mentorportal.dk', reason: 'unknown_email' },
      ]),
    );
    expect(JSON.stringify(audit.body)).not.toContain('wrong-password-123');
  });

  it('ends the session on logout', async () => {
    const user = await makeUser(t, 'caseworker');
    await t.http.post('/api/v1/auth/logout').set(bearer(user.token)).expect(204);
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
  });

  it('refuses a deactivated user at once, even with a live token', async () => {
    const user = await makeUser(t, 'finance');
    await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin.token)).send({ active: false }).expect(200);
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
  });

  it.each([
    ['no header', undefined],
    ['an unknown token', 'Bearer mps_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed header', 'Token abc'],
  ])('answers 401 in the error shape for %s', async (_label, header) => {
    const call = t.http.get('/api/v1/users');
    if (header) call.set('Authorization', header);
    const response = await call.expect(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Sign in to use this resource', details: [] });
  });

  it('answers a wrong role with 403 naming the role needed', async () => {
    const finance = await makeUser(t, 'finance');
    const response = await t.http.get('/api/v1/users').set(bearer(finance.token)).expect(403);
    expect(response.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'This action needs the role admin', details: [] });
    await t.http.get('/api/v1/audit').set(bearer(finance.token)).expect(403);
  });

  it('answers a supplier user with 403 on admin routes too', async () => {
    const supplier = await makeSupplier(t);
    const user = await makeUser(t, 'supplier', supplier.id);
    await t.http.get('/api/v1/users').set(bearer(user.token)).expect(403);
    const me = await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(200);
    expect(me.body.supplierId).toBe(supplier.id);
  });

  it('names unknown fields and wrong types', async () => {
    const response = await t.http.post('/api/v1/auth/login').send({ email: 42, password: 'x', admin: true }).expect(422);
    expect(response.body.statusCode).toBe(422);
    expect(response.body.error).toBe('Unprocessable Entity');
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { field: 'admin', rule: 'unknown_field', message: 'admin is not an accepted field' },
        { field: 'email', rule: 'isString', message: 'email must be a string' },
      ]),
    );
  });

  it('answers malformed JSON with 400 and no stack trace', async () => {
    const response = await t.http.post('/api/v1/users').set(bearer(admin.token)).set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON',
      details: [{ field: 'body', rule: 'json_syntax', message: 'the body could not be parsed as JSON' }],
    });
    expect(response.text).not.toMatch(/at \w+ \(/);
  });

  it('answers an oversized body with 413', async () => {
    const response = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ displayName: 'x'.repeat(t.config.bodyLimitBytes + 10) }))
      .expect(413);
    expect(response.body.details[0]).toEqual({ field: 'body', rule: 'max_size', message: `at most ${t.config.bodyLimitBytes} bytes`, values: { limit: t.config.bodyLimitBytes } });
  });

  it('sets security headers', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe.each([
  ['shared in Redis', true],
  ['in memory without Redis', false],
])('login rate limit (%s)', (_label, redis) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ redis, env: { LOGIN_RATE_LIMIT: '3' } });
  });
  afterAll(() => t.close());

  const attempt = (email: string, password: string) => t.http.post('/api/v1/auth/login').send({ email, password });

  it('answers 429 with Retry-After after the limit per address and e-mail, in the language asked for, and still lets another e-mail try', async () => {
    for (let i = 0; i < 3; i += 1) await attempt('target@test.mentorportal.dk', `guess-${i}-123456`).expect(401);
    const limited = await attempt('target@test.mentorportal.dk', 'guess-4-123456').expect(429);
    const seconds = Number(limited.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Too many failed sign-ins. Try again in ${seconds} seconds.`,
      details: [{ rule: 'sign_in_attempts', message: 'too many failed sign-ins; try again after Retry-After seconds', values: { retryAfterSeconds: seconds } }],
    });
    const danish = await attempt('target@test.mentorportal.dk', 'guess-5-123456').set('Accept-Language', 'da').expect(429);
    expect(danish.body.message).toMatch(/^For mange mislykkede log-ind\. Prøv igen om \d+ sekunder\.$/);
    await attempt('other@test.mentorportal.dk', 'guess-123456').expect(401);
  });

  it('does not count successful sign-ins, and counts API and page sign-ins in one budget', async () => {
    const user = await makeUser(t, 'caseworker');
    await attempt(user.email, 'wrong-password-1').expect(401);
    for (let i = 0; i < 5; i += 1) await attempt(user.email, user.password).expect(200);
    await attempt(user.email, 'wrong-password-2').expect(401);
    // The third failure is through the sign-in page; after it, the budget is spent for the API too.
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const failed = await agent.post('/login').type('form').send({ _csrf: csrf, email: user.email, password: 'wrong-password-3' }).expect(401);
    await attempt(user.email, user.password).expect(429);
    const renewed = /name="_csrf" value="([^"]+)"/.exec(failed.text)![1];
    const page = await agent.post('/login').type('form').send({ _csrf: renewed, email: user.email, password: user.password }).expect(429);
    expect(page.headers['retry-after']).toMatch(/^\d+$/);
    expect(page.text).toMatch(/For mange mislykkede log-ind\. Prøv igen om \d+ sekunder\./);
  });
});
