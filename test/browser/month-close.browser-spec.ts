import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { procurementUser } from '../support/factories';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
}

describe('month close in a browser', () => {
  const env = useBrowserSuite();
  const workDir = mkdtempSync(join(tmpdir(), 'month-close-browser-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('finance closes an ended month while watching its progress, opens a statement PDF, and builds and exports a refund claim', async () => {
    // October 2026 (ended): 150 minutes approved at 450 kr./hour for a sickness-benefit recipient = 1,125.00 kr. excl. VAT.
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 90 } });
    const financeUser = await makeUser(env.app, 'finance');
    const invoice = await env.app.http
      .post('/api/v1/invoices')
      .set(bearer(supplier.user.token))
      .send(
        invoiceBody([
          { grantReference: supplier.grants.a.reference, date: '2026-10-05', minutes: 60 },
          { grantReference: supplier.grants.a.reference, date: '2026-10-13', minutes: 90 },
        ]),
      )
      .expect(201);
    await env.app.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(financeUser.token)).send({}).expect(200);
    // A second October invoice still waits for its first approval when the month is made final.
    const waiting = await env.app.http
      .post('/api/v1/invoices')
      .set(bearer(supplier.user.token))
      .send({ ...invoiceBody([{ grantReference: supplier.grants.a.reference, date: '2026-10-20', minutes: 60 }]), invoiceNumber: 'VENTER-1' })
      .expect(201);

    const context = await env.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, env.baseUrl, financeUser.email, financeUser.password);

    // ---- Build the month's drafts, holding the supplier's billing lock so the run stays visibly in progress ----
    await page.getByRole('link', { name: 'Månedsafregning', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/billing`);
    await expectAccessible(page);
    const hold = env.app.dataSource.createQueryRunner();
    await hold.connect();
    await hold.startTransaction();
    // The lock each billing job takes per supplier and month (BillingRunsService.claimItem): the job waits for it.
    await hold.query(`SELECT pg_advisory_xact_lock(hashtext('billing:' || $1::text || ':' || $2::text))`, [supplier.supplierId, '2026-10']);
    let polls = 0;
    page.on('request', (request) => {
      if (/\/api\/v1\/billing-runs\/[0-9a-f-]{36}$/.test(request.url())) polls += 1;
    });
    try {
      await page.getByLabel('Måned', { exact: true }).fill('2026-10');
      await page.getByRole('button', { name: 'Byg kladder' }).click();
      await page.waitForURL(/\/finance\/billing\/runs\/[0-9a-f-]{36}\?notice=started$/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Månedsafregning for 2026-10');
      const progress = page.getByRole('progressbar', { name: 'Fremdrift' });
      await expect(progress.getAttribute('value')).resolves.toBe('0');
      await expect(page.locator('#run-progress-text').textContent()).resolves.toMatch(/^0 af [01] leverandører færdige \(0 %\)$/);
      await expectAccessible(page);
      // Without scripts the page reloads itself while the run is pending; with them, the script follows the run.
      const pendingHtml = await (await page.request.get(page.url())).text();
      expect(pendingHtml).toContain('<noscript><meta http-equiv="refresh" content="3"></noscript>');
      expect(pendingHtml).toContain('<script src="/static/job-progress.js" defer></script>');
      // The script polls the run with the session cookie while it waits.
      await expect(page.locator('[data-poll-url]').count()).resolves.toBe(1);
      for (let waited = 0; polls === 0 && waited < 10_000; waited += 100) await page.waitForTimeout(100);
      expect(polls).toBeGreaterThan(0);
    } finally {
      await hold.commitTransaction();
      await hold.release();
    }
    // Released: the script sees the run finish and reloads the page, which shows it at 100 % (scripts on, so no <noscript> refresh).
    const finalise = page.getByRole('button', { name: 'Gør 2026-10 endelig' });
    await finalise.waitFor({ timeout: 30_000 });
    await expect(page.getByRole('progressbar', { name: 'Fremdrift' }).getAttribute('value')).resolves.toBe('100');
    await expect(page.locator('#run-status').textContent()).resolves.toBe('Gennemført');
    await expect(page.locator('#run-progress-text').textContent()).resolves.toBe('1 af 1 leverandører færdige (100 %)');
    await expect(page.locator('#run-statements').textContent()).resolves.toBe('1');
    await expectAccessible(page);

    // ---- Make the month final: the page asks first and lists the invoice still waiting ----
    await finalise.click();
    await page.waitForURL(`${env.baseUrl}/finance/billing`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Gør 2026-10 endelig?');
    const waitingRow = page.getByRole('row', { name: /VENTER-1/ });
    await expect(waitingRow.getByRole('cell', { name: 'Første godkendelse' }).isVisible()).resolves.toBe(true);
    await expect(waitingRow.getByRole('link', { name: 'VENTER-1' }).getAttribute('href')).resolves.toBe(`/finance/invoices/${waiting.body.id}`);
    await expectAccessible(page);
    // Confirmed without saying what becomes of the waiting invoice: refused, the message beside the box.
    await page.getByRole('button', { name: 'Ja, gør 2026-10 endelig' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/billing`);
    const defer = page.getByLabel('De ventende fakturaer afregnes i 2026-11, når de er godkendt');
    await expect(defer.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#defer-pending-error').textContent()).resolves.toBe('Afgør de ventende fakturaer først, eller sæt flueben for, at de afregnes i næste måned.');
    await expect(defer.getAttribute('aria-describedby')).resolves.toBe('defer-pending-error defer-pending-hint');
    await expect(page.locator('#error-summary a[href="#defer-pending"]').count()).resolves.toBe(1);
    await expectAccessible(page);
    await expect(env.app.dataSource.query(`SELECT count(*)::int AS n FROM billing_run WHERE kind = 'finalise'`)).resolves.toEqual([{ n: 0 }]);
    await defer.check();
    await page.getByRole('button', { name: 'Ja, gør 2026-10 endelig' }).click();
    await page.waitForURL(/\/finance\/billing\/runs\/[0-9a-f-]{36}\?notice=started$/);
    await expect(page.getByRole('heading', { level: 2, name: 'Endelige afregningsoversigter for 2026-10' }).isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Afregningsoversigter for 2026-10' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('#run-status').textContent()).resolves.toBe('Gennemført');
    await expect(page.getByRole('progressbar', { name: 'Fremdrift' }).getAttribute('value')).resolves.toBe('100');

    // ---- The statements, and the final statement's PDF ----
    await page.getByRole('link', { name: 'Afregningsoversigter', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/statements`);
    await expectAccessible(page);
    await page.getByLabel('Måned', { exact: true }).fill('2026-10');
    await page.getByLabel('Status', { exact: true }).selectOption('final');
    await page.getByRole('button', { name: 'Vis', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/statements?month=2026-10&status=final`);
    const row = page.getByRole('row', { name: /AF-2026-000001/ });
    await expect(row.getByRole('cell', { name: '1.406,25 kr.' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    const pdfLink = row.getByRole('link', { name: /^PDF AF-2026-000001/ });
    const href = await pdfLink.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/statements\/[0-9a-f-]{36}\.pdf$/);
    // The link's request, with the page's session cookie.
    const pdf = await page.request.get(`${env.baseUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const pdfBytes = await pdf.body();
    expect(pdfBytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const pdfFile = join(workDir, 'statement.pdf');
    writeFileSync(pdfFile, pdfBytes);
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toContain('AF-2026-000001');
    expect(text).toContain(supplier.grants.a.reference);

    // ---- The year's budget and frame, then a refund claim for October ----
    await page.getByRole('link', { name: 'Refusion', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/refund-claims`);
    await expectAccessible(page);
    const year2026 = page.locator('#budget-2026');
    await year2026.getByLabel('Budget (kr.)').fill('650.000');
    await year2026.getByLabel('Refusionsramme (kr.)').fill('200.000');
    await year2026.getByRole('button', { name: 'Gem budget for 2026' }).click();
    await page.waitForURL(`${env.baseUrl}/finance/refund-claims?notice=budget_saved#budget-2026`);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Budgettet er gemt.');
    await expect(year2026.getByLabel('Budget (kr.)').inputValue()).resolves.toBe('650000');

    await page.getByLabel('Fra og med').fill('2026-10-01');
    await page.getByLabel('Til og med').fill('2026-10-31');
    await page.getByRole('button', { name: 'Byg refusionsanmodning' }).click();
    await page.waitForURL(/\/finance\/refund-claims\/[0-9a-f-]{36}\?notice=requested$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Refusionsanmodning 2026-10-01 – 2026-10-31');
    // Computed in a job; the page follows it and shows the claim when it is ready.
    await page.locator('#claim-status', { hasText: 'Kladde' }).waitFor({ timeout: 30_000 });
    // 1,125.00 kr. inside the frame at 50 % = 562.50 kr.
    const line = page.getByRole('row', { name: /Inden for rammen/ });
    await expect(line.getByRole('cell', { name: '1.125,00 kr.' }).isVisible()).resolves.toBe(true);
    await expect(line.getByRole('cell', { name: '562,50 kr.' }).count()).resolves.toBe(2);
    await expect(page.locator('#claim-claimed').textContent()).resolves.toBe('562,50 kr.');
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Hent som CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('refusion-2026-10-01-2026-10-31.csv');
    const csvFile = join(workDir, 'refusion.csv');
    await download.saveAs(csvFile);
    const csv = readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, '');
    // For people: the title and period over Danish headers, kroner with two decimals, a totals row.
    const csvLines = csv.split(/\r?\n/);
    expect(csvLines.slice(0, 2)).toEqual(['Refusionsanmodning 01-10-2026 – 31-10-2026', 'Periode;01-10-2026 – 31-10-2026']);
    expect(csvLines[5]).toBe('År;Refusionskategori;Refusionssats (%);Kontering;Antal udgifter;Udgift ekskl. moms (kr.);Refusion før loft (kr.);Over rammen (kr.);Anmodet refusion (kr.)');
    expect(csvLines[6]).toMatch(/^2026;Inden for rammen;50;[^;]*;2;1125,00;562,50;0,00;562,50$/);
    expect(csvLines[7]).toBe('I alt;;;;2;1125,00;562,50;0,00;562,50');

    // Submitting asks first, with the total and what is left of the frame.
    await page.getByRole('button', { name: 'Indsend refusionsanmodningen' }).click();
    await expect(page.locator('#confirm-claimed').textContent()).resolves.toBe('562,50 kr.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Ja, indsend anmodningen om 562,50 kr.' }).click();
    await page.waitForURL(/\?notice=submitted$/);
    await expect(page.locator('#claim-status').textContent()).resolves.toBe('Indsendt');
    await expectAccessible(page);

    // ---- The reports ----
    await page.getByRole('link', { name: 'Budget', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/budget`);
    await expect(page.getByRole('img', { name: 'Forbrug og prognose mod budget, 2026' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('#budget-amount').textContent()).resolves.toBe('650.000,00 kr.');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Forbrug', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/finance/spend`);
    await expect(page.getByRole('row', { name: /Fastholdelsesmentor/ }).getByRole('cell', { name: '1.125,00 kr.' }).first().isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  it('a supplier reads its own statements, and procurement its performance table, without serious accessibility violations', async () => {
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 60 } });
    const supplierContext = await env.browser.newContext();
    const page = await supplierContext.newPage();
    await signIn(page, env.baseUrl, supplier.user.email, supplier.user.password);
    await page.getByRole('link', { name: 'Mine afregninger', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/statements`);
    await expect(page.getByRole('heading', { level: 1, name: 'Mine afregninger' }).isVisible()).resolves.toBe(true);
    // The statement of the first test belongs to another supplier.
    await expect(page.getByText('AF-2026-000001').count()).resolves.toBe(0);
    await expect(page.getByText('Ingen afregningsoversigter.').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await supplierContext.close();

    const procurement = await procurementUser(env.app);
    const procurementContext = await env.browser.newContext();
    const procurementPage = await procurementContext.newPage();
    await signIn(procurementPage, env.baseUrl, procurement.email, procurement.password);
    await procurementPage.getByRole('link', { name: 'Leverandøropfølgning', exact: true }).click();
    await procurementPage.waitForURL(`${env.baseUrl}/procurement/performance`);
    await expect(procurementPage.getByRole('columnheader', { name: 'Uger uden minimumskontakt' }).isVisible()).resolves.toBe(true);
    await expectAccessible(procurementPage);
    await procurementContext.close();
  });
});
