import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { DomainException } from '../common/errors/domain.exception';
import type { NotificationType } from '../common/notifications/notification-events';
import type { Language } from '../common/web/page-context';
import { UsersService } from '../identity/users.service';
import { MailOutboxStore } from './mail-outbox.store';
import { EVENT_CATALOGUE, effectiveDelivery, typesForRole, type Delivery } from './notification-catalogue';
import { NotificationTemplates, TemplateValueMissing, type RenderedItem } from './notification-templates';
import { NotificationStore } from './notification.store';
import { NotificationsErrorCode } from './notifications.errors';

export interface NotificationView {
  id: string;
  type: NotificationType;
  title: string;
  body: string;
  lines: string[];
  /** The page in the portal, as a path. */
  link: string;
  createdAt: Date;
  read: boolean;
  /** The user the reader was told for, as deputy. */
  onBehalfOf: string | null;
}

export interface PreferenceView {
  type: NotificationType;
  delivery: Delivery;
  required: 'law' | 'payment_term' | null;
}

/** A user's own notifications, read state and preferences. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: NotificationStore,
    private readonly mails: MailOutboxStore,
    private readonly templates: NotificationTemplates,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, filter: { unreadOnly: boolean; before: string | null; limit: number }, lang: Language = user.language): Promise<{ unread: number; items: NotificationView[]; nextBefore: string | null }> {
    const manager = this.dataSource.manager;
    const [rows, unread] = await Promise.all([this.store.list(manager, user.id, { ...filter, limit: filter.limit + 1 }), this.store.unreadCount(manager, user.id)]);
    const page = rows.slice(0, filter.limit);
    const principals = [...new Set(page.flatMap((row) => (row.onBehalfOf ? [row.onBehalfOf] : [])))];
    const names = new Map(principals.length === 0 ? [] : (await this.users.recipients({ ids: principals })).map((u) => [u.id, u.displayName]));
    const side = user.role === 'supplier' ? 'supplier' : 'staff';
    const items = page.map((row) => {
      const item = this.readable(row.type, row.payload, lang, side);
      return {
        id: row.id,
        type: row.type,
        title: item.title,
        body: item.body,
        lines: item.lines,
        link: EVENT_CATALOGUE[row.type].link(row.payload as never, side),
        createdAt: row.createdAt,
        read: row.readAt !== null,
        onBehalfOf: row.onBehalfOf ? (names.get(row.onBehalfOf) ?? null) : null,
      };
    });
    return { unread, items, nextBefore: rows.length > filter.limit ? page[page.length - 1].id : null };
  }

  /** The event's texts; an event whose text cannot be filled (a defect) is shown by its kind, not left out. */
  private readable(type: NotificationType, payload: Record<string, unknown>, lang: Language, side: 'staff' | 'supplier'): RenderedItem {
    try {
      return this.templates.item(type, payload as never, lang, side);
    } catch (error) {
      if (!(error instanceof TemplateValueMissing)) throw error;
      return { title: this.templates.phrase(lang, `type.${type}`), body: '', lines: [], url: '', onBehalfOf: null };
    }
  }

  unreadCount(userId: string): Promise<number> {
    return this.store.unreadCount(this.dataSource.manager, userId);
  }

  /** Marks one of the user's own notifications read; another user's is not found. */
  async markRead(user: AuthenticatedUser, id: string): Promise<void> {
    if ((await this.store.markRead(this.dataSource.manager, id, user.id)) === null) throw DomainException.notFound('Notification');
  }

  markAllRead(user: AuthenticatedUser): Promise<number> {
    return this.store.markAllRead(this.dataSource.manager, user.id);
  }

  async preferences(user: Pick<AuthenticatedUser, 'id' | 'role'>): Promise<PreferenceView[]> {
    const chosen = await this.store.preferences(this.dataSource.manager, user.id);
    return typesForRole(user.role).map((type) => ({ type, delivery: effectiveDelivery(type, chosen.get(type)), required: EVENT_CATALOGUE[type].required }));
  }

  /** Sets the user's choices; a type the role does not receive, or turning off what is required, is refused. */
  async setPreferences(user: AuthenticatedUser, choices: ReadonlyArray<{ type: string; delivery: Delivery }>, actor: Actor): Promise<PreferenceView[]> {
    const offered = new Set<string>(typesForRole(user.role));
    const details = choices.flatMap((choice, i) => {
      if (!offered.has(choice.type)) return [{ field: `preferences[${i}].type`, rule: NotificationsErrorCode.NotificationTypeOffered, message: `${choice.type} is not an event your role is told of`, values: { type: choice.type } }];
      if (choice.delivery === 'off' && EVENT_CATALOGUE[choice.type as NotificationType].required !== null) {
        return [{ field: `preferences[${i}].delivery`, rule: NotificationsErrorCode.NotificationRequired, values: { type: choice.type }, message: `${choice.type} is required by ${EVENT_CATALOGUE[choice.type as NotificationType].required === 'law' ? 'law' : 'the payment term'} and cannot be turned off` }];
      }
      return [];
    });
    if (details.length > 0) throw DomainException.rule('The preferences cannot be saved', details);
    await this.dataSource.transaction(async (manager) => {
      await this.store.upsertPreferences(manager, user.id, choices as ReadonlyArray<{ type: NotificationType; delivery: Delivery }>);
      await this.audit.record(manager, actor, { action: 'notification.preferences_changed', entityType: 'user', entityId: user.id, change: Object.fromEntries(choices.map((c) => [c.type, c.delivery])) });
    });
    return this.preferences(user);
  }

  /** The user's own mails: what the demo without a mail server shows on the notification page. */
  ownMails(userId: string, limit = 20) {
    return this.mails.ofUser(this.dataSource.manager, userId, limit);
  }
}
