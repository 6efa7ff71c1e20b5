import type { Page } from 'playwright-core';
import { JobQueue } from '../../src/common/queue/job-queue';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
}

describe('postings and payments in a browser', () => {
  const env = useBrowserSuite();

  it('finance exports a period’s postings after confirming, imports a payment file after seeing what it marks paid, and the supplier sees it paid', async () => {
    // October 2026: 150 minutes at 450 kr./hour = 1,125.00 kr. + 25 % VAT = 1,406.25 kr.
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 90 } });
    const financeUser = await makeUser(env.app, 'finance');
    const invoice = await env.app.http
      .post('/api/v1/invoices')
      .set(bearer(supplier.user.token))
      .send(invoiceBody([
        { grantReference: supplier.grants.a.reference, date: '2026-10-05', minutes: 60 },
        { grantReference: supplier.grants.a.reference, date: '2026-10-13', minutes: 90 },
      ]))
      .expect(201);
    await env.app.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(financeUser.token)).send({}).expect(200);
    for (const kind of ['build', 'finalise'] as const) {
      const run = await env.app.http.post('/api/v1/billing-runs').set(bearer(financeUser.token)).send({ month: '2026-10', kind }).expect(202);
      await env.app.app.get(JobQueue).drain();
      // The suite's workers may still be at it: wait for the run to complete.
      for (let waited = 0; waited < 30_000; waited += 200) {
        const status = (await env.app.http.get(`/api/v1/billing-runs/${run.body.id}`).set(bearer(financeUser.token)).expect(200)).body.status as string;
        if (status === 'completed') break;
        if (status === 'failed') throw new Error('the billing run failed');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const [statement] = (await env.app.http.get('/api/v1/statements').query({ supplierId: supplier.supplierId }).set(bearer(financeUser.token)).expect(200)).body as Array<{ number: string; issuedOn: string }>;

    const context = await env.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, env.baseUrl, financeUser.email, financeUser.password);

    // ---- Postings: the period shows what will be exported, and the export is made only when confirmed ----
    await page.getByRole('link', { name: 'Posteringer', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/postings`);
    await expectAccessible(page);
    await page.getByLabel('Fra og med (afregningsdato)').fill(statement.issuedOn);
    await page.getByLabel('Til og med').fill(statement.issuedOn);
    await page.getByRole('button', { name: 'Vis, hvad der eksporteres' }).click();
    await expect(page.locator('#pending-table').getByRole('cell', { name: statement.number }).isVisible()).resolves.toBe(true);
    await expect(env.app.dataSource.query(`SELECT count(*)::int AS n FROM posting_export`)).resolves.toEqual([{ n: 0 }]);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Eksportér 1 afregningsoversigt' }).click();
    await page.waitForURL(/\/finance\/postings\?notice=exported&export=[0-9a-f-]{36}$/);
    const csvLink = page.locator('#exports-table').getByRole('link', { name: 'CSV' });
    const csv = await page.request.get(`${env.baseUrl}${await csvLink.getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(`;${statement.number};1;net;5.68.90;;1;4.0;`);

    // ---- Payments: a file with an unknown statement is refused beside the field, nothing applied ----
    await page.getByRole('link', { name: 'Betalinger', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/payments`);
    await expectAccessible(page);
    const file = (rows: string) => ({ name: 'betalinger.csv', mimeType: 'text/csv', buffer: Buffer.from(`afregningsnummer;beløb;betalingsdato\r\n${rows}`) });
    await page.getByLabel('Betalingsfil (CSV)').setInputFiles(file('AF-2026-999999;1406,25;2026-11-20\r\n'));
    await page.getByRole('button', { name: 'Læs filen' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/payments/preview`);
    await expect(page.locator('#p-file').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#p-file-error').textContent()).resolves.toContain('Række 2, statement_number: AF-2026-999999 er ikke en endelig afregningsoversigt.');
    await expectAccessible(page);

    // ---- The right file: the confirmation shows what it marks paid; only the confirmation registers it ----
    await page.getByLabel('Betalingsfil (CSV)').setInputFiles(file(`${statement.number};1.406,25;2026-11-20\r\n`));
    await page.getByRole('button', { name: 'Læs filen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bekræft betalingerne' }).waitFor();
    await expect(page.locator('#will-pay-table').getByRole('cell', { name: statement.number }).isVisible()).resolves.toBe(true);
    await expect(page.locator('#will-pay-table').getByRole('cell', { name: '1.406,25 kr.' }).first().isVisible()).resolves.toBe(true);
    await expect(env.app.dataSource.query(`SELECT status FROM statement WHERE number = $1`, [statement.number])).resolves.toEqual([{ status: 'final' }]);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Registrér betalingerne' }).click();
    await page.waitForURL(/\/finance\/payments\?notice=imported&import=[0-9a-f-]{36}$/);
    await expect(page.locator('#payments-notice').textContent()).resolves.toBe('Betalingerne er registreret. Filen havde 1 rækker: 1 markeret som betalt, 0 uændrede og 0 afvigelser.');
    await expect(env.app.dataSource.query(`SELECT status, paid_on::text AS paid_on FROM statement WHERE number = $1`, [statement.number])).resolves.toEqual([{ status: 'paid', paid_on: '2026-11-20' }]);
    await expectAccessible(page);
    await context.close();

    // ---- The supplier sees "paid" and the day in its statement list ----
    const supplierContext = await env.browser.newContext();
    const supplierPage = await supplierContext.newPage();
    await signIn(supplierPage, env.baseUrl, supplier.user.email, supplier.user.password);
    await supplierPage.goto(`${env.baseUrl}/supplier/statements`);
    const row = supplierPage.getByRole('row', { name: new RegExp(statement.number) });
    await expect(row.getByRole('cell', { name: 'Betalt den 2026-11-20' }).isVisible()).resolves.toBe(true);
    await expectAccessible(supplierPage);
    await supplierContext.close();
  });
});
