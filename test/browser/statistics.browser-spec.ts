import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
}

describe('statistics and the investment case in a browser', () => {
  const env = useBrowserSuite();

  it('finance opens the statistics and the investment case in Danish, with the key figures, charts and a "what if"', async () => {
    // Two retention grants starting 2 March and 1 September 2026; one session of 120 minutes = 900 kr.
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 120, start: '2026-03-02', end: '2026-08-31' }, b: { start: '2026-09-01', end: '2027-02-28' } });
    const financeUser = await makeUser(env.app, 'finance');
    const invoice = await env.app.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.a.reference, date: '2026-03-02', minutes: 120 }])).expect(201);
    await env.app.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(financeUser.token)).send({}).expect(200);
    const page = await (await env.browser.newContext()).newPage();
    await signIn(page, env.baseUrl, financeUser.email, financeUser.password);

    await page.getByRole('link', { name: 'Statistik', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/statistics`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Statistik over mentorforløb 2026');
    // Three charts, each one image with a name.
    await expect(page.locator('svg[role="img"]').count()).resolves.toBe(3);
    await expect(page.getByRole('img', { name: 'Forløb pr. måned 2026' }).count()).resolves.toBe(1);
    const months = page.locator('#st-months ~ .chart-layout tbody tr');
    await expect(months.count()).resolves.toBe(12);
    await expect(page.locator('#st-months ~ .chart-layout tfoot').textContent()).resolves.toMatch(/2\s*0\s*2/);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Investeringsberegning', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/investment-case`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Investeringsberegning for mentorstøtte');
    // 900 kr. for one citizen; 13.000 kr. less 30 % refund = 9.100 kr.; 900 / 9.100 = 0,099 → 0,1 month.
    await expect(page.locator('body').textContent()).resolves.toContain('9.100,00');
    const retention = page.locator('#ic-steps ~ .table-scroll tbody tr').filter({ hasText: 'Fastholdelse' });
    await expect(retention.textContent()).resolves.toContain('0,1');
    await expectAccessible(page);

    // What if: 10.000 kr. a month after 3 months (40 % refund: 6.000 kr.), 25.000 kr. per citizen: 4,2 months.
    await page.getByLabel('Ydelse pr. måned (kr.)').fill('10000');
    await page.getByLabel(/Måneder på ydelse/).fill('3');
    await page.getByLabel('Udgift pr. borger (kr.)').fill('25000');
    await page.getByRole('button', { name: 'Beregn' }).click();
    await page.waitForURL(/costPerCitizen=25000/);
    await expect(page.locator('body').textContent()).resolves.toContain('6.000,00');
    await expect(retention.textContent()).resolves.toContain('4,2');
    await expectAccessible(page);

    // A malformed amount is shown beside its field.
    await page.getByLabel('Ydelse pr. måned (kr.)').fill('12,5');
    await page.getByRole('button', { name: 'Beregn' }).click();
    await page.waitForURL(/monthlyBenefit=12%2C5/);
    await expect(page.getByLabel('Ydelse pr. måned (kr.)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#ic-monthly-error').textContent()).resolves.toMatch(/\S/);
    await expectAccessible(page);
  });
});
