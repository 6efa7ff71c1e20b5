import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { peppolInvoiceXml, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

describe('hold and dispute in a browser', () => {
  const env = useBrowserSuite();

  const noSeriousViolations = async (page: Page) => expect(await seriousAccessibilityViolations(page)).toEqual([]);

  it('finance holds an e-invoice after a confirmation, the supplier sees it held and disputes a line, finance replies, releases and resolves', async () => {
    // An e-invoice of 30 minutes at 600 kr./hour against the agreement's 450: a price finding on line 1.
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 120 } });
    const xml = peppolInvoiceXml(supplier.cvr, 'UBL-HOLD-7', supplier.grants.a.reference, '2026-11-10', 30, 600);
    const created = await env.app.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).set('Content-Type', 'application/xml').send(xml).expect(201);
    const invoiceId = created.body.id as string;
    expect(created.body.lines[0].findings.map((f: { code: string }) => f.code)).toContain('rate_above_agreement');

    // ---- Finance holds the invoice ----
    const financeUser = await makeUser(env.app, 'finance');
    const financeContext = await env.browser.newContext();
    const finance = await financeContext.newPage();
    await signIn(finance, env.baseUrl, financeUser.email, financeUser.password);
    await finance.goto(`${env.baseUrl}/finance/invoices/${invoiceId}`);
    await expect(finance.getByRole('heading', { level: 2, name: 'Tilbageholdelse og indsigelser' }).isVisible()).resolves.toBe(true);
    await noSeriousViolations(finance);

    // A release date that has passed is refused beside its field, nothing held.
    await finance.getByLabel('Årsag', { exact: true }).fill('Afventer dokumentation for mødet den 10. november');
    await finance.getByLabel('Frigives senest', { exact: true }).fill('2026-11-20');
    await finance.getByRole('button', { name: 'Fortsæt til bekræftelse' }).click();
    await finance.waitForURL(`${env.baseUrl}/finance/invoices/${invoiceId}/hold`);
    await expect(finance.locator('#h-release').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(finance.locator('#h-release').getAttribute('aria-describedby')).resolves.toBe('h-release-hint h-release-error');
    await expect(finance.locator('#h-release-error').textContent()).resolves.toBe('Frigivelsesdatoen 2026-11-20 skal ligge efter i dag (2026-11-25).');
    await expect(finance.locator('#h-reason').inputValue()).resolves.toBe('Afventer dokumentation for mødet den 10. november');
    await noSeriousViolations(finance);

    await finance.getByLabel('Frigives senest', { exact: true }).fill('2026-12-15');
    await finance.getByRole('button', { name: 'Fortsæt til bekræftelse' }).click();
    await expect(finance.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bekræft tilbageholdelse af faktura UBL-HOLD-7');
    const pending = await finance.locator('#step-pending').textContent();
    expect(pending).toContain('Årsag: Afventer dokumentation for mødet den 10. november');
    expect(pending).toContain('Fakturaen frigives automatisk den 2026-12-15');
    expect(pending).toContain('Leverandøren får et forretningssvar »UQ« (under afklaring) på e-fakturaen.');
    // Nothing is held before the confirmation.
    expect((await env.app.http.get(`/api/v1/invoices/${invoiceId}`).set(bearer(financeUser.token)).expect(200)).body.status).toBe('validated');
    await noSeriousViolations(finance);

    await finance.getByRole('button', { name: 'Bekræft' }).click();
    await finance.waitForURL(`${env.baseUrl}/finance/invoices/${invoiceId}?notice=held`);
    await expect(finance.getByRole('status').textContent()).resolves.toContain('Fakturaen er tilbageholdt.');
    await expect(finance.locator('#invoice-status').textContent()).resolves.toBe('Tilbageholdt');
    await expect(finance.locator('#hold-reason').textContent()).resolves.toBe('Afventer dokumentation for mødet den 10. november');
    await expect(finance.locator('#hold-release-on').textContent()).resolves.toBe('2026-12-15');
    await expect(finance.locator('#response-latest').textContent()).resolves.toContain('Seneste svar: UQ (under afklaring)');
    await noSeriousViolations(finance);

    // The inbox lists it as held, under those awaiting approval, and in the list of held invoices.
    await finance.getByRole('link', { name: 'Fakturaer til godkendelse', exact: true }).click();
    await finance.waitForURL(`${env.baseUrl}/finance/invoices`);
    const heldRow = finance.getByRole('region', { name: 'Tilbageholdte' }).locator('tr', { has: finance.getByRole('link', { name: 'UBL-HOLD-7' }) });
    await expect(heldRow.locator('td').last().textContent()).resolves.toBe('Tilbageholdt');
    await noSeriousViolations(finance);
    await finance.goto(`${env.baseUrl}/finance/invoices?status=held`);
    const inboxRow = finance.locator('tr', { has: finance.getByRole('link', { name: 'UBL-HOLD-7' }) });
    await expect(inboxRow.locator('td').last().textContent()).resolves.toBe('Tilbageholdt');

    // ---- The supplier sees the hold and disputes line 1 ----
    const supplierContext = await env.browser.newContext();
    const page = await supplierContext.newPage();
    await signIn(page, env.baseUrl, supplier.user.email, supplier.user.password);
    await page.goto(`${env.baseUrl}/supplier/invoices`);
    const listRow = page.locator('tr', { has: page.getByRole('link', { name: 'UBL-HOLD-7' }) });
    await expect(listRow.locator('td').nth(3).textContent()).resolves.toBe('Tilbageholdt');
    await noSeriousViolations(page);
    await page.getByRole('link', { name: 'UBL-HOLD-7' }).click();
    await expect(page.locator('#invoice-status').textContent()).resolves.toBe('Tilbageholdt');
    await expect(page.locator('#hold-reason').textContent()).resolves.toBe('Afventer dokumentation for mødet den 10. november');
    await expect(page.locator('#hold-release-on').textContent()).resolves.toBe('2026-12-15');
    await expect(page.getByRole('button', { name: 'Frigiv fakturaen nu' }).count()).resolves.toBe(0);
    await expect(page.locator('#thread-line-1-state').textContent()).resolves.toBe('Ikke besvaret');
    await noSeriousViolations(page);

    // A dispute without a reason is refused beside the reason field.
    const line1 = page.locator('#thread-line-1');
    await line1.getByLabel('Jeg gør indsigelse').check();
    await line1.getByRole('button', { name: 'Fortsæt til bekræftelse' }).click();
    await expect(page.locator('#a1-comment').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#a1-comment-error').textContent()).resolves.toBe('Skriv, hvorfor du gør indsigelse mod afvigelsen.');
    await noSeriousViolations(page);

    await page.getByLabel('Begrundelse').fill('Prisen på 600 kr. er aftalt med jobcentret for denne borger.');
    await page.getByRole('button', { name: 'Fortsæt til bekræftelse' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bekræft dit svar på linje 1');
    await expect(page.locator('#step-pending').textContent()).resolves.toContain('Økonomi får besked om indsigelsen');
    await noSeriousViolations(page);
    await page.getByRole('button', { name: 'Bekræft' }).click();
    await page.waitForURL(/\/supplier\/invoices\/[0-9a-f-]{36}\?notice=answered#thread-line-1$/);
    await expect(page.locator('#thread-line-1-state').textContent()).resolves.toBe('Indsigelse afventer afgørelse');
    await expect(page.locator('#thread-history').textContent()).resolves.toContain('Prisen på 600 kr. er aftalt med jobcentret for denne borger.');
    await noSeriousViolations(page);

    // ---- Finance replies, releases and resolves ----
    await finance.goto(`${env.baseUrl}/finance/invoices/${invoiceId}`);
    await expect(finance.locator('#thread-line-1-state').textContent()).resolves.toBe('Indsigelse afventer afgørelse');
    await finance.getByLabel('Svar til leverandøren').fill('Aftalen siger 450 kr. i timen; send en kreditnota for forskellen.');
    await finance.getByRole('button', { name: 'Send svar' }).click();
    await finance.waitForURL(/\?notice=replied#thread-line-1$/);
    await expect(finance.locator('#thread-history').textContent()).resolves.toContain('Aftalen siger 450 kr. i timen');

    await finance.getByRole('button', { name: 'Frigiv fakturaen nu' }).click();
    await finance.waitForURL(/\?notice=released$/);
    await expect(finance.locator('#invoice-status').textContent()).resolves.toBe('Afventer godkendelse');
    await expect(finance.locator('#hold-notice').count()).resolves.toBe(0);

    // "Credited" needs the supplier's credit note: refused beside the resolution.
    await finance.getByLabel('krediteret med kreditnota').check();
    await finance.locator('#thread-line-1').getByRole('button', { name: 'Fortsæt til bekræftelse' }).click();
    await expect(finance.locator('#s1-resolution-error').textContent()).resolves.toBe('Der er ikke modtaget en kreditnota fra leverandøren, som henviser til denne faktura.');
    await noSeriousViolations(finance);

    await finance.getByLabel('godkendt', { exact: true }).check();
    await finance.getByLabel('Bemærkning').fill('Godkendt til aftalens pris efter dialog.');
    await finance.getByRole('button', { name: 'Fortsæt til bekræftelse' }).click();
    await expect(finance.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bekræft afgørelsen af indsigelsen på linje 1');
    await expect(finance.locator('#step-pending').textContent()).resolves.toContain('Indsigelsen på linje 1 afgøres som »godkendt«.');
    await noSeriousViolations(finance);
    await finance.getByRole('button', { name: 'Bekræft' }).click();
    await finance.waitForURL(/\?notice=resolved#thread-line-1$/);
    await expect(finance.locator('#thread-line-1-state').textContent()).resolves.toBe('Afgjort (godkendt)');
    const history = (await finance.locator('#thread-history li').allTextContents()).map((text) => text.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d · /, '').trim());
    expect(history).toEqual([
      'Økonomi · Tilbageholdt Afventer dokumentation for mødet den 10. november',
      'Leverandør · Linje 1 · Indsigelse Prisen på 600 kr. er aftalt med jobcentret for denne borger.',
      'Økonomi · Linje 1 · Svar fra økonomi Aftalen siger 450 kr. i timen; send en kreditnota for forskellen.',
      'Økonomi · Frigivet',
      'Økonomi · Linje 1 · Afgjort: godkendt Godkendt til aftalens pris efter dialog.',
    ]);
    await noSeriousViolations(finance);

    // The business response downloads as Peppol and as OIOUBL; the outbox lists it, linked from the navigation.
    const peppol = await finance.request.get(`${env.baseUrl}${await finance.getByRole('link', { name: /Peppol Invoice Response/ }).getAttribute('href')}`);
    expect(peppol.status()).toBe(200);
    expect(await peppol.text()).toMatch(/<cbc:ResponseCode[^>]*>IP<\/cbc:ResponseCode>/);
    const oioubl = await finance.request.get(`${env.baseUrl}${await finance.getByRole('link', { name: /OIOUBL ApplicationResponse/ }).getAttribute('href')}`);
    expect(oioubl.status()).toBe(200);
    await finance.getByRole('link', { name: 'Forretningssvar', exact: true }).click();
    await finance.waitForURL(`${env.baseUrl}/finance/business-responses`);
    const responses = finance.locator('tr', { has: finance.getByRole('link', { name: 'UBL-HOLD-7' }) });
    // Held (UQ; the dispute adds none while one is under query), then released before a decision (IP).
    await expect(responses.count()).resolves.toBe(2);
    await expect(responses.first().locator('td').nth(3).textContent()).resolves.toBe('Frigivet');
    await expect(responses.first().getByRole('link', { name: 'Hent svaret på faktura UBL-HOLD-7 som OIOUBL' }).count()).resolves.toBe(1);
    await expect(responses.last().locator('td').nth(3).textContent()).resolves.toBe('Tilbageholdt');
    await expect(responses.last().locator('td').last().textContent()).resolves.toBe('Afløst af et senere svar');
    await noSeriousViolations(finance);
    await financeContext.close();

    // ---- The supplier reads the whole thread ----
    await page.goto(`${env.baseUrl}/supplier/invoices/${invoiceId}`);
    await expect(page.locator('#thread-line-1-state').textContent()).resolves.toBe('Afgjort (godkendt)');
    await expect(page.locator('#thread-history li').count()).resolves.toBe(5);
    await expect(page.locator('#invoice-status').textContent()).resolves.toBe('Afventer godkendelse');
    await noSeriousViolations(page);
    await supplierContext.close();
  });
});
