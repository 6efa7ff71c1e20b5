import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { systemActor } from '../../src/common/actor';
import { UsersService } from '../../src/identity/users.service';
import { launchBrowser, seriousAccessibilityViolations, signIn } from '../support/browser';
import { freePort, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { makeSupplier, makeUser, startTestApp, type TestApp } from '../support/test-app';

/** Only this machine's loopback: a page of the portal or of the test broker must load nothing from elsewhere. */
async function loopbackOnly(page: Page): Promise<string[]> {
  const blocked: string[] = [];
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1') return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  return blocked;
}

describe('supplier sign-in with OpenID Connect (MitID Erhverv through a broker) in a browser', () => {
  let broker: TestOidcProvider;
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let supplier: { id: string; cvr: string };

  const failures = async () => (await t.dataSource.query(`SELECT change FROM audit_entry WHERE action = 'auth.login_failed' ORDER BY id`)).map((row: { change: { provider?: string; reason: string } }) => row.change);

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    broker = await startOidcProvider({ portalUrl: baseUrl });
    t = await startTestApp({
      redis: false,
      env: {
        PUBLIC_URL: baseUrl,
        OIDC_ISSUER: broker.issuer,
        OIDC_CLIENT_ID: broker.clientId,
        OIDC_CLIENT_SECRET: broker.clientSecret,
        OIDC_SCOPES: 'openid email nemlogin',
        OIDC_DISPLAY_NAME: 'MitID Erhverv',
      },
    });
    await t.app.listen(port, '127.0.0.1');
    browser = await launchBrowser();
    supplier = await makeSupplier(t, 'Mentorhuset Test ApS');
    // Provisioned by an admin with no password: the first MitID sign-in with the same e-mail and the supplier's CVR links it.
    await t.app.get(UsersService).create({ email: 'anna@mentorhuset.dk', displayName: 'Anna Mentor', role: 'supplier', supplierId: supplier.id, password: null, language: 'da' }, systemActor('test'));
    broker.accounts.set('mitid-anna-0001', { email: 'anna@mentorhuset.dk', cvr: supplier.cvr });
    broker.accounts.set('mitid-bo-0002', { email: 'bo@andet-firma.dk', cvr: supplier.cvr });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await broker?.close();
  });

  async function brokerSignIn(page: Page, subject: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('link', { name: 'Log ind med MitID Erhverv' }).click();
    await page.waitForURL(`${broker.issuer}/interaction/**`);
    await page.getByLabel('Bruger-id').fill(subject);
    await page.getByRole('button', { name: 'Log ind' }).click();
  }

  it('walks the whole redirect flow: the provisioned supplier user is linked at the first sign-in and lands signed in; sign-out ends the broker session too', async () => {
    const page = await browser.newPage();
    const blocked = await loopbackOnly(page);
    await brokerSignIn(page, 'mitid-anna-0001');
    await page.waitForURL(`${baseUrl}/`);
    await expect(page.getByRole('heading', { level: 1, name: 'Overblik' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('Anna Mentor').first().isVisible()).resolves.toBe(true);

    const [user] = await t.dataSource.query(`SELECT id, external_provider, external_subject, last_login_method FROM app_user WHERE email = 'anna@mentorhuset.dk'`);
    expect(user).toMatchObject({ external_provider: 'oidc', external_subject: 'mitid-anna-0001', last_login_method: 'oidc' });
    const linked = await t.dataSource.query(`SELECT change FROM audit_entry WHERE action = 'user.federated_linked' AND entity_id = $1`, [user.id]);
    expect(linked).toEqual([{ change: { provider: 'oidc', subject: 'mitid-anna-0001' } }]);
    const [session] = await t.dataSource.query(`SELECT method, id_token IS NOT NULL AS has_id_token FROM auth_session WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
    expect(session).toEqual({ method: 'oidc', has_id_token: true });

    // Sign-out: the portal session ends, and the browser is sent to the broker's end-session endpoint and back.
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.waitForURL(`${broker.issuer}/session/end**`);
    await page.getByRole('button', { name: 'Ja, log mig ud' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    const open = await t.dataSource.query(`SELECT count(*)::int AS n FROM auth_session WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
    expect(open[0].n).toBe(0);

    // The next sign-in finds the link by its subject.
    await brokerSignIn(page, 'mitid-anna-0001');
    await page.waitForURL(`${baseUrl}/`);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it('refuses a subject no admin provisioned, and a linked subject whose CVR is not its supplier’s: 401, nothing created, audited', async () => {
    const usersBefore = (await t.dataSource.query(`SELECT count(*)::int AS n FROM app_user`))[0].n as number;
    for (const subject of ['mitid-bo-0002', 'mitid-anna-0001']) {
      // The broker now vouches for Anna as working for another company than the supplier her user belongs to.
      if (subject === 'mitid-anna-0001') broker.accounts.set(subject, { email: 'anna@mentorhuset.dk', cvr: '12345674' });
      const page = await browser.newPage();
      await loopbackOnly(page);
      const answer = page.waitForResponse((response) => response.url().startsWith(`${baseUrl}/auth/oidc/callback`));
      await brokerSignIn(page, subject);
      expect((await answer).status()).toBe(401);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Log-ind kunne ikke gennemføres');
      await page.close();
    }
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM app_user`))[0].n).toBe(usersBefore);
    expect((await failures()).slice(-2)).toEqual([
      { provider: 'oidc', reason: 'unknown_subject', subject: 'mitid-bo-0002', email: 'bo@andet-firma.dk' },
      { provider: 'oidc', reason: 'cvr_mismatch', subject: 'mitid-anna-0001', email: 'anna@mentorhuset.dk' },
    ]);
    broker.accounts.set('mitid-anna-0001', { email: 'anna@mentorhuset.dk', cvr: supplier.cvr });
  });

  it('refuses a callback without a prior request, with a state that does not match, and a replayed one: 401, audited', async () => {
    await request(t.app.getHttpServer()).get(`/auth/oidc/callback?code=forged&state=forged&iss=${encodeURIComponent(broker.issuer)}`).expect(401);

    const agent = request.agent(t.app.getHttpServer());
    const started = await agent.get('/auth/oidc/login').expect(303);
    const authorize = new URL(started.headers.location as string);
    expect(authorize.origin).toBe(broker.issuer);
    expect(Object.fromEntries([...authorize.searchParams].filter(([key]) => ['response_type', 'code_challenge_method', 'scope', 'client_id'].includes(key)))).toEqual({
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid email nemlogin',
      client_id: broker.clientId,
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    const handle = /mps_oidc=([^;]+)/.exec(String(started.headers['set-cookie']))![1];
    await agent.get(`/auth/oidc/callback?code=forged&state=not-the-state&iss=${encodeURIComponent(broker.issuer)}`).set('Cookie', `mps_oidc=${handle}`).expect(401);
    // The started request was used by that answer: the same cookie again finds nothing.
    await agent.get(`/auth/oidc/callback?code=forged&state=${authorize.searchParams.get('state')}&iss=${encodeURIComponent(broker.issuer)}`).set('Cookie', `mps_oidc=${handle}`).expect(401);
    expect((await failures()).slice(-3)).toEqual([
      { provider: 'oidc', reason: 'no_request' },
      { provider: 'oidc', reason: 'invalid_response' },
      { provider: 'oidc', reason: 'no_request' },
    ]);
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent, though the state matches: 401, nothing opened, audited', async () => {
    const page = await browser.newPage();
    await loopbackOnly(page);
    // The portal's redirect reaches the broker with another nonce: the broker signs that one into the ID token.
    await page.route(`${baseUrl}/auth/oidc/login**`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = new URL(response.headers().location);
      location.searchParams.set('nonce', 'another-nonce-than-the-portal-sent');
      await route.fulfill({ response, headers: { ...response.headers(), location: location.toString() } });
    });
    const answer = page.waitForResponse((response) => response.url().startsWith(`${baseUrl}/auth/oidc/callback`));
    await brokerSignIn(page, 'mitid-anna-0001');
    expect((await answer).status()).toBe(401);
    expect((await failures()).slice(-1)).toEqual([{ provider: 'oidc', reason: 'invalid_response' }]);
    await page.goto(`${baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  it('answers random callback parameters with 401 and the sign-in page, never a 5xx', async () => {
    const http = request(t.app.getHttpServer());
    const value = fc.oneof(fc.string({ maxLength: 60 }), fc.constant(broker.issuer), fc.constant(''));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('code', 'state', 'iss', 'error', 'session_state', 'id_token'), value), fc.boolean(), async (query, withRequest) => {
        let cookie = `mps_oidc=${'x'.repeat(43)}`;
        if (withRequest) cookie = /mps_oidc=[^;]+/.exec(String((await http.get('/auth/oidc/login').expect(303)).headers['set-cookie']))![0];
        const response = await http.get('/auth/oidc/callback').query(query).set('Cookie', cookie);
        expect({ status: response.status, page: response.text.includes('Log-ind kunne ikke gennemføres') }).toEqual({ status: 401, page: true });
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });

  it('offers the provider on the sign-in page', async () => {
    const page = await browser.newPage();
    await loopbackOnly(page);
    await page.goto(`${baseUrl}/login?next=/supplier/grants`);
    await expect(page.getByRole('link', { name: 'Log ind med MitID Erhverv' }).getAttribute('href')).resolves.toBe('/auth/oidc/login?next=%2Fsupplier%2Fgrants');
    await page.close();
  });

  it('shows admin the provider as configured and reachable, who signs in how, and the service accounts; the pages pass the accessibility check', async () => {
    const admin = await makeUser(t, 'admin');
    const page = await browser.newPage();
    await loopbackOnly(page);
    await page.goto(`${baseUrl}/login`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await signIn(page, baseUrl, admin.email, admin.password);
    await page.getByRole('link', { name: 'Log-ind', exact: true }).click();
    const oidcRow = page.getByRole('row').filter({ hasText: 'OpenID Connect' });
    await expect(oidcRow.getByRole('cell').nth(2).textContent()).resolves.toBe('Ja');
    await expect(oidcRow.getByRole('cell').nth(3).textContent()).resolves.toBe('Ja');
    await expect(page.getByRole('row').filter({ hasText: 'anna@mentorhuset.dk' }).getByRole('cell').nth(5).textContent()).resolves.toBe('MitID Erhverv (OIDC)');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Integrationer' }).click();
    await page.getByLabel('Navn (små bogstaver, tal og bindestreg)').fill('sagssystem');
    await page.getByLabel(/case-system:write/).check();
    await page.getByRole('button', { name: 'Opret', exact: true }).click();
    await page.getByRole('button', { name: 'Lav ny nøgle' }).click();
    await expect(page.locator('#issued-token').textContent()).resolves.toMatch(/^mpt_/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The two-factor set-up with its QR code.
    await page.goto(`${baseUrl}/account/two-factor`);
    await page.getByRole('button', { name: 'Opret totrinslogin' }).click();
    await expect(page.locator('figure.qr svg').count()).resolves.toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
