import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalogue } from '../common/i18n/messages';
import type { NotificationPayloads, NotificationType } from '../common/notifications/notification-events';
import { isCalendarDate, isValidMonth } from '../common/time/calendar-date';
import { formatKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import { EVENT_CATALOGUE } from './notification-catalogue';

/** A text needed a value the event did not carry: the mail is not sent half filled. */
export class TemplateValueMissing extends Error {
  constructor(key: string, name: string) {
    super(`the text ${key} needs the value {${name}}`);
    this.name = 'TemplateValueMissing';
  }
}

/** One event as the reader sees it: in a mail, a digest or the portal's list. */
export interface RenderedItem {
  title: string;
  body: string;
  lines: string[];
  /** The absolute link into the portal. */
  url: string;
  onBehalfOf: string | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type RecipientSide = 'staff' | 'supplier';

const longDate: Record<Language, Intl.DateTimeFormat> = {
  da: new Intl.DateTimeFormat('da-DK', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const monthName: Record<Language, Intl.DateTimeFormat> = {
  da: new Intl.DateTimeFormat('da-DK', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

/**
 * The texts of notifications and mails: `notification.<type>.title` and `.body` from the catalogues (Danish and
 * English), the mail layouts templates/mail/mail.html.hbs and mail.txt.hbs. Every `{value}` a text names must be
 * in the event, or rendering fails (TemplateValueMissing); amounts, dates and months are written in the
 * reader's language.
 */
export class NotificationTemplates {
  private readonly html: HandlebarsTemplateDelegate;
  private readonly text: HandlebarsTemplateDelegate;

  constructor(
    private readonly catalogues: Record<Language, Catalogue>,
    templatesDir: string,
    private readonly publicUrl: string,
  ) {
    const handlebars = Handlebars.create();
    this.html = handlebars.compile(readFileSync(join(templatesDir, 'mail', 'mail.html.hbs'), 'utf8'), { strict: true });
    this.text = handlebars.compile(readFileSync(join(templatesDir, 'mail', 'mail.txt.hbs'), 'utf8'), { strict: true, noEscape: true });
  }

  /** A catalogue text with every `{value}` filled (`<key>.one` for a count of one, where there is one); a missing text or value throws. */
  phrase(lang: Language, key: string, params: Record<string, unknown> = {}): string {
    const text = (params.count === 1 ? this.catalogues[lang][`${key}.one`] : undefined) ?? this.catalogues[lang][key];
    if (text === undefined) throw new TemplateValueMissing(key, 'text');
    return text.replace(/\{(\w+)\}/g, (_whole, name: string) => {
      if (params[name] === undefined || params[name] === null) throw new TemplateValueMissing(key, name);
      return String(params[name]);
    });
  }

  item<T extends NotificationType>(type: T, payload: NotificationPayloads[T], lang: Language, side: RecipientSide, onBehalfOfName: string | null = null): RenderedItem {
    const params = this.params(type, payload as Record<string, unknown>, lang);
    const lines = type === 'approvals.waiting' ? this.waitingLines(payload as NotificationPayloads['approvals.waiting'], lang) : [];
    return {
      title: this.phrase(lang, `notification.${type}.title`, params),
      body: this.phrase(lang, `notification.${type}.body`, params),
      lines,
      url: this.url(EVENT_CATALOGUE[type].link(payload, side)),
      onBehalfOf: onBehalfOfName === null ? null : this.phrase(lang, 'mail.on_behalf_of', { name: onBehalfOfName }),
    };
  }

  /** One event's mail (its title is the subject), or a digest of several. */
  mail(lang: Language, recipientName: string, items: RenderedItem[], digest: boolean): RenderedMail {
    const subject = digest ? this.phrase(lang, 'mail.digest.subject', { count: items.length }) : items[0].title;
    const model = {
      lang,
      subject,
      greeting: this.phrase(lang, 'mail.greeting', { name: recipientName }),
      intro: digest ? this.phrase(lang, 'mail.digest.intro') : '',
      items: items.map((item) => ({ ...item, onBehalfOf: item.onBehalfOf ?? '' })),
      linkLabel: this.phrase(lang, 'mail.open_in_portal'),
      footer: this.phrase(lang, 'mail.footer', { preferencesUrl: this.url('/notifications') }),
    };
    return { subject, text: this.text(model), html: this.html(model) };
  }

  url(path: string): string {
    return `${this.publicUrl.replace(/\/$/, '')}${path}`;
  }

  private waitingLines(payload: NotificationPayloads['approvals.waiting'], lang: Language): string[] {
    if (!Array.isArray(payload.oldest)) throw new TemplateValueMissing('notification.approvals.waiting.line', 'oldest');
    return payload.oldest.map((line) => this.phrase(lang, 'notification.approvals.waiting.line', this.params('approvals.waiting', line, lang)));
  }

  /** The payload's values as the reader reads them. */
  private params(type: NotificationType, payload: Record<string, unknown>, lang: Language): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(payload)) {
      if (typeof value === 'number' && name.endsWith('Ore')) out[name] = formatKroner(value, lang);
      else if (isCalendarDate(value)) out[name] = longDate[lang].format(new Date(`${value}T00:00:00Z`));
      else if (name === 'month' && isValidMonth(value)) out[name] = monthName[lang].format(new Date(`${value}-01T00:00:00Z`));
      else if (name === 'kind') out[name] = this.phrase(lang, `message_kind.${String(value)}`);
      else if (typeof value !== 'object') out[name] = value;
    }
    if (type === 'progress_report.arrived') out.lateNote = payload.late === true ? this.phrase(lang, 'notification.progress_report.arrived.late') : '';
    return out;
  }
}
