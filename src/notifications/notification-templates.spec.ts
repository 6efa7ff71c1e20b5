import { join } from 'node:path';
import { loadCatalogues } from '../common/i18n/messages';
import type { NotificationType } from '../common/notifications/notification-events';
import { EVENT_CATALOGUE, NOTIFICATION_TYPES, effectiveDelivery, typesForRole } from './notification-catalogue';
import { NotificationTemplates, TemplateValueMissing } from './notification-templates';

const TEMPLATES = join(__dirname, '../../templates');
const templates = new NotificationTemplates(loadCatalogues(TEMPLATES), TEMPLATES, 'https://mentor.kommune.dk');

describe('notification templates', () => {
  const cases = NOTIFICATION_TYPES.flatMap((type) => (['da', 'en'] as const).flatMap((lang) => (['staff', 'supplier'] as const).map((side) => [type, lang, side] as const)));

  it.each(cases)('%s renders in %s for the %s side with every value filled', (type, lang, side) => {
    const item = templates.item(type, EVENT_CATALOGUE[type].example as never, lang, side, 'Fie Stedfortræder');
    for (const text of [item.title, item.body, ...item.lines]) {
      expect(text).not.toMatch(/[{}]/);
      expect(text).not.toMatch(/undefined|null|NaN|\[object/);
    }
    expect(item.url).toMatch(/^https:\/\/mentor\.kommune\.dk\/[a-z]/);
    const mail = templates.mail(lang, 'Søren Sagsbehandler', [item], false);
    expect(mail.subject).toBe(item.title);
    expect(mail.text).toContain(item.url);
    expect(mail.html).toContain(`href="${item.url}"`);
  });

  it('writes amounts, dates and months in the reader’s language', () => {
    const da = templates.item('invoice.partly_approved', EVENT_CATALOGUE['invoice.partly_approved'].example, 'da', 'supplier');
    expect(da.body).toBe('Faktura F-2026-117 er godkendt med 9.000,00 kr. af 12.345,50 kr. ekskl. moms. Se i portalen, hvilke linjer der ikke er godkendt, og hvorfor.');
    const en = templates.item('statement.final', EVENT_CATALOGUE['statement.final'].example, 'en', 'supplier');
    expect(en.body).toBe('Statement AF-2026-000042 for October 2026 is final. Payment is due by 25 December 2026.');
    expect(templates.item('statement.final', EVENT_CATALOGUE['statement.final'].example, 'da', 'supplier').body).toBe('Afregningsoversigten AF-2026-000042 for oktober 2026 er endelig. Betalingen forfalder senest 25. december 2026.');
    const one = templates.item('approvals.waiting', { count: 1, oldest: [EVENT_CATALOGUE['approvals.waiting'].example.oldest[0]] }, 'da', 'staff');
    expect([one.title, one.body]).toEqual(['1 faktura venter på godkendelse', '1 faktura venter på godkendelse:']);
    const waiting = templates.item('approvals.waiting', EVENT_CATALOGUE['approvals.waiting'].example, 'da', 'staff');
    expect(waiting.lines).toEqual(['F-2026-117, modtaget 2. november 2026', 'F-2026-120, modtaget 9. november 2026']);
  });

  it('links the supplier to its own pages and staff to theirs', () => {
    const example = EVENT_CATALOGUE['grant_message.received'].example;
    expect(templates.item('grant_message.received', example, 'da', 'supplier').url).toBe(`https://mentor.kommune.dk/supplier/grants/${example.grantId}#messages`);
    expect(templates.item('grant_message.received', example, 'da', 'staff').url).toBe(`https://mentor.kommune.dk/grants/${example.grantId}#messages`);
  });

  it('refuses to render a text whose value the event lacks', () => {
    const { invoiceNumber: _dropped, ...partial } = EVENT_CATALOGUE['invoice.rejected'].example;
    expect(() => templates.item('invoice.rejected', partial as never, 'da', 'supplier')).toThrow(new TemplateValueMissing('notification.invoice.rejected.title', 'invoiceNumber'));
    expect(() => templates.phrase('da', 'notification.no_such.title')).toThrow(TemplateValueMissing);
  });

  it('renders a digest of several events under one subject', () => {
    const items = (['invoice.approved', 'invoice.rejected', 'statement.final'] as NotificationType[]).map((type) => templates.item(type, EVENT_CATALOGUE[type].example as never, 'da', 'supplier'));
    const mail = templates.mail('da', 'Lene Leverandør', items, true);
    expect(mail.subject).toBe('Dagens notifikationer fra mentorportalen (3)');
    for (const item of items) expect(mail.text).toContain(item.title);
    expect(mail.html).toContain('Kære Lene Leverandør');
  });
});

describe('preferences', () => {
  it('never turns off what the law or the payment term requires; it goes to the digest', () => {
    expect(effectiveDelivery('invoice.rejected', 'off')).toBe('daily_digest');
    expect(effectiveDelivery('payment_term.ending', 'off')).toBe('daily_digest');
    expect(effectiveDelivery('invoice.approved', 'off')).toBe('off');
    expect(effectiveDelivery('invoice.approved', undefined)).toBe('immediately');
    expect(effectiveDelivery('follow_up.overdue', 'daily_digest')).toBe('daily_digest');
  });

  it('offers each role the events it can receive', () => {
    expect(typesForRole('finance')).toEqual(['approvals.waiting', 'invoice.disputed', 'payment_term.ending']);
    expect(typesForRole('procurement')).toEqual(['ceiling.mark_reached', 'agreement.expiring']);
    expect(typesForRole('supplier')).toContain('invoice.rejected');
    expect(typesForRole('supplier')).toContain('grant_message.received');
    expect(typesForRole('caseworker')).toContain('follow_up.due_soon');
    expect(typesForRole('admin')).toEqual([]);
  });
});
