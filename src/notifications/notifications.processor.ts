import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type JobContext, type JobProcessor, type ScheduledJob } from '../common/queue/job-queue';
import { JobProcessorRegistry } from '../common/queue/queue.module';
import { Clock } from '../common/time/clock';
import { DigestService } from './digest.service';
import { MAIL_LEASE_SECONDS, MailSender } from './mail-sender.service';
import { MailOutboxStore } from './mail-outbox.store';
import { NOTIFICATIONS_QUEUE, NotificationQueue, type MailJob } from './notification-queue';
import { NotificationRelay } from './notification-relay.service';
import { RemindersService } from './reminders.service';

/** How often published events are told. */
export const RELAY_EVERY_MS = 5_000;
/** A mail still waiting after this long has lost its job (the tries with backoff take about a minute). */
const LOST_MAIL_SECONDS = 10 * 60;

/**
 * Thin: the notifications queue's jobs. The relay, the reminders and the digest are repeating jobs (BullMQ job
 * schedulers with Redis, timers in this process without); each mail is a job of its own, tried with backoff.
 */
@Injectable()
export class NotificationsProcessor implements JobProcessor<unknown>, OnModuleInit {
  readonly queue = NOTIFICATIONS_QUEUE;
  readonly schedules: ReadonlyArray<Omit<ScheduledJob, 'queue'>> = [
    { id: 'notification-relay', name: 'relay', schedule: { everyMs: RELAY_EVERY_MS }, attempts: 1 },
    { id: 'notification-reminders', name: 'reminders', schedule: { dailyAt: { hour: 6, minute: 30 } } },
    { id: 'notification-digest', name: 'digest', schedule: { dailyAt: { hour: 7, minute: 0 } } },
  ];
  private readonly logger = new Logger('NotificationsProcessor');
  private remindedOn: string | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly relay: NotificationRelay,
    private readonly sender: MailSender,
    private readonly reminders: RemindersService,
    private readonly digest: DigestService,
    private readonly mails: MailOutboxStore,
    private readonly notificationQueue: NotificationQueue,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async process(job: JobContext<unknown>): Promise<void> {
    switch (job.name) {
      case 'relay':
        // The next run (seconds later) tries again: a failed run is logged, not kept as a failed job.
        await this.relay.dispatchPending().catch((error: unknown) => this.logger.warn({ err: error }, 'relay run failed; the next one tries again'));
        return;
      case 'mail':
        await this.sender.send((job.data as MailJob).mailId, job.attempt);
        return;
      case 'reminders':
        await this.reminders.run();
        await this.relay.dispatchPending();
        return;
      case 'digest':
        await this.digest.run();
        return;
      default:
        this.logger.warn({ jobId: job.id, name: job.name }, 'unknown notifications job');
    }
  }

  /**
   * Events a lost relay left, and mails whose job was lost (with Redis, or with an in-process run). The first
   * sweep of a day in this process also runs the day's reminders: a process that was down at 06:30, or a demo
   * started later in the day, still tells them (their keys make a second run tell nobody again).
   */
  async sweep(): Promise<void> {
    const today = this.clock.today();
    if (this.remindedOn !== today) {
      this.remindedOn = today;
      await this.reminders.run();
    }
    await this.relay.dispatchPending();
    // One job per mail and number of tries made: a sweep repeated before the job ran queues nothing more.
    for (const mail of await this.mails.open(this.dataSource.manager, LOST_MAIL_SECONDS, MAIL_LEASE_SECONDS, 100)) await this.notificationQueue.sendMail(mail.id, `sweep-${mail.attempts}`);
  }
}
