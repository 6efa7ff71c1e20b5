import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { procurementUser } from '../support/factories';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
}

/** How far the page scrolls sideways: 0 when everything fits the viewport. */
function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('errors, forms and the phone in a browser', () => {
  // Three failed sign-ins spend an address's and e-mail's budget, so the 429 page is reached quickly.
  const env = useBrowserSuite({ env: { LOGIN_RATE_LIMIT: '3' } });

  it('shows a procurement form’s error beside its field in Danish, with a summary that links to it', async () => {
    const procurement = await procurementUser(env.app);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, procurement.email, procurement.password);
    await page.goto(`${env.baseUrl}/procurement/suppliers`);
    await page.getByLabel('Navn', { exact: true }).fill('Mentorhuset ApS');
    // Eight digits, but the modulus-11 check digit is wrong.
    await page.getByLabel('CVR-nummer').fill('12345678');
    await page.getByRole('button', { name: 'Opret leverandør' }).click();
    const cvr = page.getByLabel('CVR-nummer');
    await expect(cvr.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(cvr.getAttribute('aria-describedby')).resolves.toBe('s-cvr-error s-cvr-hint');
    await expect(page.locator('#s-cvr-error').textContent()).resolves.toBe('skal være 8 cifre med et gyldigt kontrolciffer (modulus 11).');
    await expect(cvr.inputValue()).resolves.toBe('12345678');
    // The summary at the top names the field and takes the user there.
    const summary = page.locator('#error-summary');
    await expect(summary.getByRole('link', { name: 'CVR-nummer' }).getAttribute('href')).resolves.toBe('#s-cvr');
    await summary.getByRole('link', { name: 'CVR-nummer' }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('s-cvr');
    await expect(page.getByLabel('Navn', { exact: true }).getAttribute('aria-invalid')).resolves.toBeNull();
    await expectAccessible(page);
    await page.close();
  });

  it('shows 404 and 429 in the portal’s layout and language, with the seconds to wait', async () => {
    const finance = await makeUser(env.app, 'finance');
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, finance.email, finance.password);

    const missing = await page.goto(`${env.baseUrl}/finance/ingen-side-her`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Siden findes ikke');
    await expect(page.getByRole('navigation', { name: 'Hovedmenu' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('#error-message').textContent()).resolves.toBe('Det findes ikke, eller du har ikke adgang til det.');
    await expect(page.getByRole('link', { name: 'Til overblikket' }).isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain('Cannot GET');
    await expectAccessible(page);
    await page.goto(`${env.baseUrl}/finance/ingen-side-her?lang=en`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');

    // A role's page another role opens: 403 in words, not the rule's code.
    await page.goto(`${env.baseUrl}/admin/users?lang=da`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ingen adgang');
    expect(await page.content()).not.toContain('needs the role');
    await expectAccessible(page);

    // Too many failed sign-ins: 429 with Retry-After, in the layout, saying how long to wait.
    const target = await makeUser(env.app, 'caseworker');
    const visitor = await env.browser.newPage();
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 429; attempt += 1) {
      await visitor.goto(`${env.baseUrl}/login`);
      await visitor.getByLabel('E-mail').fill(target.email);
      await visitor.getByLabel('Adgangskode').fill(`forkert-kode-${attempt}`);
      const [answer] = await Promise.all([visitor.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), visitor.getByRole('button', { name: 'Log ind' }).click()]);
      status = answer.status();
      if (status === 429) expect(Number(answer.headers()['retry-after'])).toBeGreaterThan(0);
    }
    expect(status).toBe(429);
    await expect(visitor.locator('#login-error').textContent()).resolves.toMatch(/^For mange mislykkede log-ind\. Prøv igen om \d+ sekunder\.$/);
    await expect(visitor.getByRole('link', { name: 'Mentorportalen' }).isVisible()).resolves.toBe(true);
    expect(await visitor.content()).not.toContain('Too Many Requests');
    await expectAccessible(visitor);
    await visitor.close();
    await page.close();
  });

  it('never scrolls sideways at 390 px on the pages a supplier uses, with a one-line menu', async () => {
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 90 } });
    const invoice = await env.app.http
      .post('/api/v1/invoices')
      .set(bearer(supplier.user.token))
      .send(invoiceBody([{ grantReference: supplier.grants.a.reference, date: '2026-10-05', minutes: 60 }]))
      .expect(201);
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, env.baseUrl, supplier.user.email, supplier.user.password);
    const paths = [
      '/',
      '/supplier/agreements',
      '/supplier/grants',
      `/supplier/grants/${supplier.grants.a.id}`,
      '/supplier/invoices',
      '/supplier/invoices/new',
      `/supplier/invoices/${invoice.body.id}`,
      '/supplier/hours',
      '/supplier/statements',
      '/notifications',
      '/account',
    ];
    const scrolled: Record<string, number> = {};
    for (const path of paths) {
      const answer = await page.goto(`${env.baseUrl}${path}`);
      expect({ path, status: answer?.status() }).toEqual({ path, status: 200 });
      scrolled[path] = await sidewaysScroll(page);
    }
    expect(scrolled).toEqual(Object.fromEntries(paths.map((path) => [path, 0])));
    // The menu is one line that scrolls inside itself, not lines of links pushing the page down.
    await page.goto(`${env.baseUrl}/supplier/invoices/new`);
    const menu = page.getByRole('navigation', { name: 'Hovedmenu' }).locator('ul');
    const box = await menu.boundingBox();
    expect(box!.height).toBeLessThan(60);
    await expectAccessible(page);
    await context.close();
  });
});
