import type { Role } from '../../src/common/actor';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { makeSupplier, makeUser } from '../support/test-app';

const dashboardPanel: Record<Role, string> = {
  admin: 'Seneste hændelser',
  procurement: 'Aftaler der udløber',
  caseworker: 'Opfølgninger og evalueringer',
  team_leader: 'Forslag til godkendelse',
  finance: 'Fakturaer til godkendelse',
  supplier: 'Mine aktive bevillinger',
};

describe('the web shell in a browser', () => {
  const env = useBrowserSuite();

  it('sends a visitor without a session to the sign-in page, which passes the accessibility check', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.getByRole('heading', { name: 'Log ind' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it.each(['admin', 'procurement', 'caseworker', 'team_leader', 'finance', 'supplier'] as const)('signs in as %s and shows that role’s dashboard', async (role) => {
    const supplierId = role === 'supplier' ? (await makeSupplier(env.app)).id : null;
    const user = await makeUser(env.app, role, supplierId);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Overblik' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: dashboardPanel[role] }).isVisible()).resolves.toBe(true);
    const nav = await page.getByRole('navigation', { name: 'Hovedmenu' }).textContent();
    expect(nav?.includes('Brugere')).toBe(role === 'admin');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('switches to English and back, and can be used with the keyboard alone', async () => {
    const user = await makeUser(env.app, 'admin');
    const page = await env.browser.newPage();
    await page.goto(`${env.baseUrl}/login`);
    // Keyboard only: the e-mail field has focus, Tab leads to the password, Enter submits.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('email');
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.baseUrl}/`);
    // The first Tab stop of every signed-in page is the skip link.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Gå til indhold');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' }).isVisible()).resolves.toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${env.baseUrl}/admin/users`);
    await expect(page.getByRole('heading', { level: 1, name: 'Users' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Dansk' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Brugere' }).isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('lets an admin create a user in the page, then signs out', async () => {
    const admin = await makeUser(env.app, 'admin');
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, admin.email, admin.password);
    await page.goto(`${env.baseUrl}/admin/users`);
    await page.getByLabel('E-mail', { exact: true }).fill('side.bruger@kommune.dk');
    await page.getByLabel('Navn', { exact: true }).fill('Side Bruger');
    await page.getByLabel('Rolle').selectOption('finance');
    await page.getByLabel('Første adgangskode (mindst 12 tegn)').fill('Side-bruger-kode-1');
    await page.getByRole('button', { name: 'Opret', exact: true }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Brugeren er oprettet.');
    await expect(page.getByRole('cell', { name: 'side.bruger@kommune.dk', exact: true }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.waitForURL(`${env.baseUrl}/login`);
    await page.goto(`${env.baseUrl}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  it('shows a wrong password as an error on the page', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.baseUrl}/login`);
    await page.getByLabel('E-mail').fill('ingen@kommune.dk');
    await page.getByLabel('Adgangskode').fill('forkert-kode-123');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('E-mail eller adgangskode er forkert.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
