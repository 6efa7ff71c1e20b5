import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { JobContext, JobProcessor, ScheduledJob } from '../common/queue/job-queue';
import { JobProcessorRegistry } from '../common/queue/queue.module';
import { Clock } from '../common/time/clock';
import { SilentGrantWatch } from './silent-grant-watch.service';

export const SILENT_GRANTS_QUEUE = 'silent-grants';

/**
 * Thin: the daily silent-grant look, a BullMQ job scheduler with Redis and a timer in this process without. The
 * first sweep of a day in this process also runs it (a process down at 06:15, a demo started later), and the
 * flags' keys make a second run of the day flag and tell nobody again.
 */
@Injectable()
export class SilentGrantsProcessor implements JobProcessor<unknown>, OnModuleInit {
  readonly queue = SILENT_GRANTS_QUEUE;
  readonly schedules: ReadonlyArray<Omit<ScheduledJob, 'queue'>> = [{ id: 'silent-grants-daily', name: 'look', schedule: { dailyAt: { hour: 6, minute: 15 } } }];
  private readonly logger = new Logger('SilentGrantsProcessor');
  private lookedOn: string | null = null;

  constructor(
    private readonly registry: JobProcessorRegistry,
    private readonly watch: SilentGrantWatch,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async process(job: JobContext<unknown>): Promise<void> {
    const flagged = await this.watch.run();
    this.logger.debug({ jobId: job.id, flagged }, 'silent-grant look done');
  }

  async sweep(): Promise<void> {
    const today = this.clock.today();
    if (this.lookedOn === today) return;
    this.lookedOn = today;
    await this.watch.run();
  }
}
