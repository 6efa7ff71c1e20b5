import { NotificationEvents, notificationEvent } from '../../src/common/notifications/notification-events';
import { NotificationRelay } from '../../src/notifications/notification-relay.service';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { makeSupplier, makeUser } from '../support/test-app';

describe('the notification list in a browser', () => {
  const env = useBrowserSuite();

  it('shows the unread count in the top bar, lists what happened with a link, and marks it read', async () => {
    const supplier = await makeSupplier(env.app);
    const user = await makeUser(env.app, 'supplier', supplier.id);
    const invoiceId = '5a1e2d3c-4b5a-4c6d-8e7f-901a2b3c4d5e';
    await env.app.dataSource.transaction((manager) =>
      env.app.app.get(NotificationEvents).publish(manager, [
        notificationEvent('invoice.rejected', `browser-${supplier.id}`, { invoiceId, invoiceNumber: 'F-2026-117', supplierId: supplier.id }),
        notificationEvent('statement.final', `browser-${supplier.id}`, { statementId: invoiceId, statementNumber: 'AF-2026-000042', supplierId: supplier.id, month: '2026-10', dueOn: '2026-12-25' }),
      ]),
    );
    await env.app.app.get(NotificationRelay).dispatchPending();

    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    await page.getByRole('link', { name: 'Notifikationer (2 ulæste)' }).click();
    await page.waitForURL(`${env.baseUrl}/notifications`);
    await expect(page.getByRole('heading', { level: 1, name: 'Notifikationer' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: '2 ulæste' }).isVisible()).resolves.toBe(true);
    const rejected = page.getByRole('link', { name: 'Faktura F-2026-117 er afvist' });
    await expect(rejected.getAttribute('href')).resolves.toBe(`/supplier/invoices/${invoiceId}`);
    await expect(page.getByRole('cell', { name: /Afregningsoversigten AF-2026-000042 for oktober 2026 er endelig/ }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Markér som læst: Faktura F-2026-117 er afvist' }).click();
    await page.waitForURL(`${env.baseUrl}/notifications`);
    await expect(page.getByRole('link', { name: 'Notifikationer (1 ulæst)' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Markér alle som læste' }).click();
    await page.waitForURL(`${env.baseUrl}/notifications`);
    await expect(page.getByRole('heading', { name: '0 ulæste' }).isVisible()).resolves.toBe(true);

    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Notifications' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Invoice F-2026-117 rejected' }).isVisible()).resolves.toBe(true);
    await page.close();
  });
});
