import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
import { UsersService } from '../identity/users.service';
import { MailOutboxStore } from './mail-outbox.store';
import { MailTransport } from './mail-transport';
import { NotificationQueue } from './notification-queue';
import { NotificationTemplates } from './notification-templates';
import { NotificationStore } from './notification.store';

/**
 * The daily digest: for each user, one mail with every event they chose to receive together and have not had
 * in a digest yet. The mail is keyed by user and day, and the events it holds point to it, stored in one
 * transaction: a second run on the day sends nothing twice, and an event is in one digest only.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger('Digest');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: NotificationStore,
    private readonly mails: MailOutboxStore,
    private readonly users: UsersService,
    private readonly templates: NotificationTemplates,
    private readonly transport: MailTransport,
    private readonly queue: NotificationQueue,
    private readonly clock: Clock,
  ) {}

  /** Sends the digests of the events up to `now`; answers how many digests were stored. */
  async run(now: Date = new Date()): Promise<number> {
    const day = this.clock.today();
    let sent = 0;
    for (const userId of await this.store.digestUsers(this.dataSource.manager, now)) {
      if (await this.digestOf(userId, day, now)) sent += 1;
    }
    if (sent > 0) this.logger.log({ digests: sent, day }, 'daily digests stored');
    return sent;
  }

  private async digestOf(userId: string, day: string, now: Date): Promise<boolean> {
    // Names are read before the transaction: the embedded database has one connection.
    const preview = await this.store.digestItems(this.dataSource.manager, userId, now);
    const people = await this.users.recipients({ ids: [userId, ...preview.flatMap((item) => (item.onBehalfOf ? [item.onBehalfOf] : []))] });
    const user = people.find((person) => person.id === userId);
    if (!user || preview.length === 0) return false;
    const nameOf = new Map(people.map((person) => [person.id, person.displayName]));
    const seen = new Set(preview.map((item) => item.id));
    const mail = await this.dataSource.transaction(async (manager) => {
      const items = (await this.store.digestItems(manager, userId, now)).filter((item) => seen.has(item.id));
      if (items.length === 0) return null;
      const side = user.role === 'supplier' ? 'supplier' : 'staff';
      const rendered = this.templates.mail(
        user.language,
        user.displayName,
        items.map((item) => this.templates.item(item.type, item.payload as never, user.language, side, item.onBehalfOf ? (nameOf.get(item.onBehalfOf) ?? '') : null)),
        true,
      );
      const [stored] = await this.mails.insert(manager, [
        { key: `digest:${userId}:${day}`, kind: 'digest', userId, recipient: user.email, subject: rendered.subject, text: rendered.text, html: rendered.html, status: this.transport.configured ? 'pending' : 'kept' },
      ]);
      // Today's digest is stored already: these wait for tomorrow's.
      if (!stored) return null;
      await this.store.markDigested(manager, stored.id, items.map((item) => item.id));
      return stored;
    });
    if (mail?.status === 'pending') await this.queue.sendMail(mail.id, 0);
    return mail !== null;
  }
}
