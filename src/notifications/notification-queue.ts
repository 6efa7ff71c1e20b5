import { Inject, Injectable, Logger } from '@nestjs/common';
import { InProcessQueueDriver } from '../common/queue/in-process.driver';
import { JobQueue } from '../common/queue/job-queue';
import { RUNS_WORKERS } from '../common/queue/queue.module';

export const NOTIFICATIONS_QUEUE = 'notifications';
/** A mail is tried this often, waiting 2, 4, 8, 16 and 32 seconds between tries, before it counts as failed. */
export const MAIL_ATTEMPTS = 6;
export const MAIL_BACKOFF_MS = 2_000;

export interface MailJob {
  mailId: string;
}

/** The notifications module's jobs: one per mail to send (its id per round of tries, so a repeat is one job). */
@Injectable()
export class NotificationQueue {
  private readonly logger = new Logger('NotificationQueue');

  constructor(
    private readonly queue: JobQueue,
    @Inject(RUNS_WORKERS) private readonly runsWorkers: boolean,
  ) {}

  /** Queues the mail's sending; `round` names the round of tries (0 the first, then admin's or the sweep's). */
  async sendMail(mailId: string, round: number | string): Promise<void> {
    // A CLI command (the seed) queues in-process and runs no workers: the sweep of a process that does sends it.
    if (this.queue instanceof InProcessQueueDriver && !this.runsWorkers) return;
    try {
      await this.queue.enqueue<MailJob>(NOTIFICATIONS_QUEUE, 'mail', { mailId }, { jobId: `mail-${mailId}-${round}`, attempts: MAIL_ATTEMPTS, backoffMs: MAIL_BACKOFF_MS });
    } catch (error) {
      this.logger.warn({ mailId, err: error }, 'could not queue the mail; the sweep queues it');
    }
  }
}
