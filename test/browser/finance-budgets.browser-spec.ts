import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
}

describe('hour budget, budget guarantee and supplier performance in a browser', () => {
  const env = useBrowserSuite();

  it('finance sets an hour budget, enters full-time persons, has a bad import refused, and opens supplier performance', async () => {
    // A retention grant of 120 minutes a week, 5 January–30 June 2026 (177 days): 120 × 177 / 7 = 3,034.29 → 3,034 minutes ≈ 50,57 hours.
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 120, start: '2026-01-05', end: '2026-06-30' } });
    const financeUser = await makeUser(env.app, 'finance');
    const invoice = await env.app.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.a.reference, date: '2026-03-02', minutes: 60 }])).expect(201);
    await env.app.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(financeUser.token)).send({}).expect(200);
    const page = await (await env.browser.newContext()).newPage();
    await signIn(page, env.baseUrl, financeUser.email, financeUser.password);

    await page.getByRole('link', { name: 'Timebudget', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/hour-budget`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Timebudget og sagsgennemgang 2026');
    await expectAccessible(page);
    // A bad number of hours is shown beside the field.
    await page.getByLabel('Budget (timer)').fill('12,34');
    await page.getByRole('button', { name: 'Gem timebudget' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/hour-budget/2026`);
    await expect(page.getByLabel('Budget (timer)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#hb-hours-error').textContent()).resolves.toMatch(/\S/);
    await expectAccessible(page);
    await page.getByLabel('Budget (timer)').fill('100');
    await page.getByRole('button', { name: 'Gem timebudget' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/hour-budget?year=2026&notice=saved`);
    const rows = page.locator('#hb-table ~ .table-scroll tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(page.locator('tbody').first().textContent()).resolves.toContain('Alle leverandører');
    await expect(page.getByRole('link', { name: /CSV/ }).first().getAttribute('href')).resolves.toBe('/api/v1/reports/hour-budget.csv?year=2026');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Budgetgaranti', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/budget-guarantee`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Grænse i budgetgarantien 2026');
    await page.getByLabel('Helårspersoner i målgruppen').fill('1234,56');
    await page.getByRole('button', { name: 'Gem helårspersoner' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/budget-guarantee?year=2026&notice=persons_saved`);
    // 1.234,56 × 10.602,00 kr. = 13.088.805,12 kr.
    await expect(page.locator('dl.details').textContent()).resolves.toContain('13.088.805,12');
    await expectAccessible(page);
    await page.getByLabel('CSV (år;helårspersoner)').fill('2027;100\n2028;abc');
    await page.getByRole('button', { name: 'Indlæs', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/budget-guarantee-import`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('row 2');
    await expectAccessible(page);

    const procurement = await makeUser(env.app, 'procurement');
    const procurementPage = await (await env.browser.newContext()).newPage();
    await signIn(procurementPage, env.baseUrl, procurement.email, procurement.password);
    await procurementPage.goto(`${env.baseUrl}/procurement/performance?year=2026`);
    await expect(procurementPage.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('2026');
    await expect(procurementPage.locator('body').textContent()).resolves.toContain('Kvartal 1');
    await expectAccessible(procurementPage);
  });
});
