import { createHash } from 'node:crypto';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { smallPdf } from '../support/pdf';
import { makeAgreement, makeSupplierViaApi, procurementUser } from '../support/factories';
import { bearer } from '../support/test-app';

describe('an agreement’s term in a browser', () => {
  const env = useBrowserSuite();

  it('edits an agreement with its history shown, and terminates it through the confirmation step', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    const agreement = await makeAgreement(env.app, supplier.id, { validFrom: '2026-01-01', validTo: '2030-12-31' });
    const user = await procurementUser(env.app);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    await page.goto(`${env.baseUrl}/procurement/agreements/${agreement.id}`);

    await page.getByLabel('Kontaktperson', { exact: true }).fill('Karin Kontrakt');
    await page.getByRole('button', { name: 'Gem ændringerne' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Ændringerne er gemt');
    await expect(page.getByRole('cell', { name: 'contactName: – → Karin Kontrakt' }).isVisible()).resolves.toBe(true);

    await page.getByLabel('Opsigelsesdato (sidste dag)').fill('2029-06-30');
    await page.getByLabel('Begrundelse', { exact: true }).fill('Leverandøren har misligholdt kontaktkravet');
    await page.getByRole('button', { name: 'Se, hvad opsigelsen berører' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Bekræft opsigelse af aftale ${agreement.reference}` }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('Der er ingen igangværende forløb under aftalen.').isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Nothing is stored before the confirmation.
    expect((await env.app.http.get(`/api/v1/agreements/${agreement.id}`).set(bearer(user.token)).expect(200)).body.status).toBe('in_force');

    await page.getByRole('button', { name: 'Opsig aftalen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Aftalen er opsagt.');
    await expect(page.getByText('Aftalen er opsagt med 2029-06-30 som sidste dag.').isVisible()).resolves.toBe(true);
    const stored = (await env.app.http.get(`/api/v1/agreements/${agreement.id}`).set(bearer(user.token)).expect(200)).body;
    expect([stored.status, stored.terminatedOn, stored.terminationReason]).toEqual(['terminated', '2029-06-30', 'Leverandøren har misligholdt kontaktkravet']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('attaches a signed PDF through the page, refuses a file that is not a PDF beside the form, and records a supervision visit', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    const agreement = await makeAgreement(env.app, supplier.id, { validFrom: '2026-01-01', validTo: '2030-12-31' });
    const user = await procurementUser(env.app);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    await page.goto(`${env.baseUrl}/procurement/agreements/${agreement.id}`);

    await page.getByLabel('Dokumenttype').selectOption('signed_agreement');
    await page.getByLabel('Fil (PDF)').setInputFiles({ name: 'ikke-en-pdf.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Dette er ikke en PDF') });
    await page.getByRole('button', { name: 'Vedhæft dokumentet' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Filen er ikke en gyldig PDF');
    await expect(page.getByLabel('Fil (PDF)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#d-file-error').textContent()).resolves.toContain('Filen er ikke en gyldig PDF');

    const pdf = await smallPdf();
    await page.getByLabel('Fil (PDF)').setInputFiles({ name: 'underskrevet-aftale.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Vedhæft dokumentet' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Dokumentet er vedhæftet.');
    await expect(page.getByRole('link', { name: 'underskrevet-aftale.pdf' }).isVisible()).resolves.toBe(true);
    const documents = (await env.app.http.get(`/api/v1/agreements/${agreement.id}/documents`).set(bearer(user.token)).expect(200)).body as Array<{ sha256: string; sizeBytes: number }>;
    expect(documents.map((d) => [d.sha256, d.sizeBytes])).toEqual([[createHash('sha256').update(pdf).digest('hex'), pdf.length]]);

    await page.getByLabel('Tilsynsdato').fill('2026-11-10');
    await page.getByLabel('Fund').fill('Mødelog mangler for to borgere');
    await page.getByLabel('Opfølgningsdato (valgfri)').fill('2027-01-15');
    await page.getByRole('button', { name: 'Registrér tilsynet' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Tilsynet er registreret.');
    await expect(page.getByRole('cell', { name: 'Mødelog mangler for to borgere' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
