import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
}

describe('statistics and the investment case in a browser', () => {
  const env = useBrowserSuite({ env: { MUNICIPALITY_CODE: '840' } });

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

  it('finance imports published figures on the comparison page, has a bad file refused per row, and sees Rebild beside the others', async () => {
    // One retention grant from 2 March 2026 with a session of 120 minutes = 900 kr.
    const supplier = await supplierWithGrants(env.app, { c: { minutesPerWeek: 120, start: '2026-03-02', end: '2026-08-31' } });
    const financeUser = await makeUser(env.app, 'finance');
    const invoice = await env.app.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.c.reference, date: '2026-03-02', minutes: 120 }])).expect(201);
    await env.app.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(financeUser.token)).send({}).expect(200);
    const page = await (await env.browser.newContext()).newPage();
    await signIn(page, env.baseUrl, financeUser.email, financeUser.password);

    await page.getByRole('link', { name: 'Kommunesammenligning', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/comparison`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sammenligning med andre kommuner 2026');
    await expect(page.locator('body').textContent()).resolves.toContain('Der er ikke indlæst tal fra andre kommuner for 2026.');
    await expectAccessible(page);

    const header = 'Område;Periode;Personer med mentor;Befolkning;Udgift kr';
    await page.getByLabel('CSV fra Jobindsats').fill(`${header}\n751 Aarhus;2026;1.234;250.000;12.345.678,50\nGotham;2026;5;100;`);
    await page.getByRole('button', { name: 'Indlæs tal' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/comparison-import`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Række 3');
    await expect(page.getByLabel('CSV fra Jobindsats').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page);

    await page.getByLabel('CSV fra Jobindsats').fill(`${header}\n751 Aarhus;2026;1.234;250.000;12.345.678,50\n840 Rebild;2026;3;20.000;`);
    await page.getByRole('button', { name: 'Indlæs tal' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/comparison?year=2026&notice=imported`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Tallene er indlæst.');
    const rows = page.locator('#cmp-table ~ .table-scroll tbody tr');
    // Rebild from the portal, Rebild as published, Aarhus.
    await expect(rows.count()).resolves.toBe(3);
    // The portal, with the first test's two grants in the same application: 3 citizens with a grant in 2026 and
    // 2 × 900 = 1.800 kr. spent. 3 of Rebild's 20.000 = 0,015 % → 0,02 %; 1.800 / 3 = 600 kr. per citizen with a
    // mentor; 1.800 / 20.000 = 0,09 kr. per inhabitant.
    await expect(rows.nth(0).textContent()).resolves.toBe('Rebild (portalens tal)320.0000,02 %1.800,00 kr.600,00 kr.0,09 kr.');
    // Aarhus: 1.234 / 250.000 = 0,49 %; 12.345.678,50 / 1.234 = 10.004,60 kr.
    await expect(rows.nth(2).textContent()).resolves.toMatch(/751 Aarhus.*0,49 %.*10\.004,60/);
    await expect(page.getByRole('img', { name: 'Andel med mentor 2026' }).count()).resolves.toBe(1);
    await expectAccessible(page);
  });
});
