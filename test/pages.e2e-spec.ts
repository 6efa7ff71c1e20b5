import request from 'supertest';
import { makeUser, startTestApp, type TestApp } from './support/test-app';

function cookieValue(setCookie: string[] | string | undefined, name: string): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
}

describe('pages: cookie session and CSRF', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function signInWithCookie(email: string, password: string) {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const response = await agent.post('/login').type('form').send({ _csrf: csrf, email, password, next: '/admin/users' }).expect(303);
    return { agent, response };
  }

  it('sets an httpOnly, SameSite session cookie and follows a same-site next', async () => {
    const admin = await makeUser(t, 'admin');
    const { response } = await signInWithCookie(admin.email, admin.password);
    expect(response.headers.location).toBe('/admin/users');
    const cookie = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mps_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('refuses a sign-in form without the form token', async () => {
    const admin = await makeUser(t, 'admin');
    const response = await t.http.post('/login').type('form').send({ email: admin.email, password: admin.password }).set('Accept', 'text/html').expect(403);
    expect(response.text).toContain('Formularen er udløbet');
    expect(cookieValue(response.headers['set-cookie'], 'mps_session')).toBeUndefined();
  });

  it('never redirects to another host after sign-in', async () => {
    const admin = await makeUser(t, 'admin');
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const response = await agent.post('/login').type('form').send({ _csrf: csrf, email: admin.email, password: admin.password, next: '//evil.example/' }).expect(303);
    expect(response.headers.location).toBe('/');
  });

  it('refuses a state change with the session cookie but without the CSRF token, and accepts it with the token', async () => {
    const admin = await makeUser(t, 'admin');
    const { agent } = await signInWithCookie(admin.email, admin.password);
    const refused = await agent.post('/admin/users').type('form').set('Accept', 'application/json').send({ email: 'csrf@kommune.dk', displayName: 'C', role: 'finance', password: 'En-lang-adgangskode-1' }).expect(403);
    expect(refused.body.details).toEqual([{ field: '_csrf', rule: 'csrf_token', message: 'a valid CSRF token is required with the session cookie' }]);
    expect(await t.dataSource.query(`SELECT 1 FROM app_user WHERE email = 'csrf@kommune.dk'`)).toHaveLength(0);

    const page = await agent.get('/admin/users').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await agent.post('/admin/users').type('form').send({ _csrf: token, email: 'csrf@kommune.dk', displayName: 'C', role: 'finance', supplierId: '', password: 'En-lang-adgangskode-1' }).expect(303);
    expect(await t.dataSource.query(`SELECT 1 FROM app_user WHERE email = 'csrf@kommune.dk'`)).toHaveLength(1);
  });

  it('shows a form error with the field named and stores nothing', async () => {
    const admin = await makeUser(t, 'admin');
    const { agent } = await signInWithCookie(admin.email, admin.password);
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/admin/users')).text)![1];
    const response = await agent.post('/admin/users').type('form').send({ _csrf: token, email: 'short@kommune.dk', displayName: 'S', role: 'finance', password: 'short' }).expect(422);
    expect(response.text).toContain('<a href="#new-password">Første adgangskode (mindst 12 tegn)</a>: er for kort.');
    expect(await t.dataSource.query(`SELECT 1 FROM app_user WHERE email = 'short@kommune.dk'`)).toHaveLength(0);
  });

  it('answers a wrong role on a page with a 403 page', async () => {
    const finance = await makeUser(t, 'finance');
    const { agent } = await signInWithCookie(finance.email, finance.password);
    const response = await agent.get('/admin/audit').set('Accept', 'text/html').expect(403);
    expect(response.text).toContain('Du har ikke adgang til denne handling.');
    expect(response.text).toContain('<html lang="da">');
  });
});
