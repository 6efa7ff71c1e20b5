import type { Browser } from 'playwright-core';
import { launchBrowser, listen, seriousAccessibilityViolations, signIn } from '../support/browser';
import { makeAgreement, makeSupplierViaApi, procurementUser } from '../support/factories';
import { makeUser, startTestApp, type TestApp } from '../support/test-app';

describe('procurement pages in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens suppliers, agreements and one agreement without serious accessibility violations', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id, { ceilingOre: 100000000 });
    const user = await procurementUser(t);
    const page = await browser.newPage();
    await signIn(page, baseUrl, user.email, user.password);
    for (const [path, heading] of [
      ['/procurement/suppliers', 'Leverandører'],
      ['/procurement/agreements', 'Aftaler'],
      [`/procurement/agreements/${agreement.id}`, `Aftale ${agreement.reference}`],
    ]) {
      await page.goto(`${baseUrl}${path}`);
      await expect(page.getByRole('heading', { level: 1, name: heading }).isVisible()).resolves.toBe(true);
      expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
    }
    await page.close();
  });

  it('adds a rate in the page and shows it in Danish kroner', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const user = await procurementUser(t);
    const page = await browser.newPage();
    await signIn(page, baseUrl, user.email, user.password);
    await page.goto(`${baseUrl}/procurement/agreements/${agreement.id}`);
    await page.getByLabel('Mentortype').selectOption('holistic');
    await page.getByLabel('Niveau').fill('1');
    await page.getByLabel('Gælder fra').fill('2026-02-01');
    await page.getByLabel('Timepris i kr. (ekskl. moms)').fill('1.234,50');
    await page.getByRole('button', { name: 'Tilføj timepris' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Timeprisen er tilføjet.');
    await expect(page.getByRole('cell', { name: '1.234,50 kr.' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows a supplier user its own agreements without serious accessibility violations', async () => {
    const supplier = await makeSupplierViaApi(t);
    await makeAgreement(t, supplier.id);
    const user = await makeUser(t, 'supplier', supplier.id);
    const page = await browser.newPage();
    await signIn(page, baseUrl, user.email, user.password);
    await page.goto(`${baseUrl}/supplier/agreements`);
    await expect(page.getByRole('heading', { level: 1, name: 'Mine aftaler' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
