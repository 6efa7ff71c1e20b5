import request from 'supertest';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/** Signs in through the sign-in page with a cookie agent; answers the agent and where the sign-in sent it. */
async function signInPage(t: TestApp, email: string, password: string): Promise<{ agent: ReturnType<typeof request.agent>; location: string }> {
  const agent = request.agent(t.app.getHttpServer());
  const form = await agent.get('/login').expect(200);
  const signedIn = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email, password }).expect(303);
  return { agent, location: signedIn.headers.location as string };
}

describe('forced password change', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    admin = await makeUser(t, 'admin');
  });
  afterAll(() => t.close());

  it('sends a user with a password an administrator chose to choose their own, and opens the portal once it is done', async () => {
    const created = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ email: 'ny.okonomi@jobcenter.dk', displayName: 'Ny Økonomi', role: 'finance', password: 'Foerste-kode-fra-admin-1' })
      .expect(201);
    expect(created.body.mustChangePassword).toBe(true);

    // The page sign-in goes to the account page, and every other page leads back there.
    const { agent, location } = await signInPage(t, 'ny.okonomi@jobcenter.dk', 'Foerste-kode-fra-admin-1');
    expect(location).toBe('/account');
    const account = await agent.get('/account').expect(200);
    expect(account.text).toContain('Din adgangskode er valgt af en administrator. Vælg din egen adgangskode, før du fortsætter');
    expect((await agent.get('/finance/invoices').expect(303)).headers.location).toBe('/account');
    expect((await agent.get('/').expect(303)).headers.location).toBe('/account');

    // The API answers 403 with the rule, except for the password change itself and who one is.
    const token = (await t.http.post('/api/v1/auth/login').send({ email: 'ny.okonomi@jobcenter.dk', password: 'Foerste-kode-fra-admin-1' }).expect(200)).body.accessToken as string;
    const refused = await t.http.get('/api/v1/invoices').set(bearer(token)).set('Accept-Language', 'da').expect(403);
    expect(refused.body.details).toEqual([expect.objectContaining({ rule: 'password_change_first' })]);
    expect(refused.body.message).toBe('Du skal vælge din egen adgangskode, før du kan bruge portalen.');
    await t.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);

    // The same password again is refused beside its field; then a new one of the user's own opens the portal.
    const same = await agent.post('/account/password').type('form').send({ _csrf: csrfOf(account.text), currentPassword: 'Foerste-kode-fra-admin-1', newPassword: 'Foerste-kode-fra-admin-1' }).expect(422);
    expect(same.text).toContain('aria-invalid="true" aria-describedby="new-password-error"');
    expect(same.text).toContain('<a href="#new-password">Ny adgangskode (mindst 12 tegn)</a>: Den nye adgangskode skal være en anden end den nuværende.');
    const changed = await agent.post('/account/password').type('form').send({ _csrf: csrfOf(same.text), currentPassword: 'Foerste-kode-fra-admin-1', newPassword: 'Min-egen-lange-kode-2026' }).expect(303);
    expect(changed.headers.location).toBe('/account?notice=password');
    await agent.get('/finance/invoices').expect(200);
    expect((await t.http.get(`/api/v1/users/${created.body.id}`).set(bearer(admin.token)).expect(200)).body.mustChangePassword).toBe(false);
  });

  it('asks for a new password of the user’s own after an administrator resets it', async () => {
    const user = await makeUser(t, 'caseworker');
    const before = await signInPage(t, user.email, user.password);
    expect(before.location).toBe('/');
    await t.http.post(`/api/v1/users/${user.id}/reset-password`).set(bearer(admin.token)).send({ newPassword: 'Nulstillet-af-admin-77' }).expect(204);
    const after = await signInPage(t, user.email, 'Nulstillet-af-admin-77');
    expect(after.location).toBe('/account');
    expect((await after.agent.get('/grants').expect(303)).headers.location).toBe('/account');
  });
});
