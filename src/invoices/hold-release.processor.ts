import { Injectable, OnModuleInit } from '@nestjs/common';
import type { JobContext, JobProcessor, ScheduledJob } from '../common/queue/job-queue';
import { JobProcessorRegistry } from '../common/queue/queue.module';
import { InvoiceHoldsService } from './invoice-holds.service';

export const HOLDS_QUEUE = 'invoice-holds';

/** Thin: the daily job that releases the holds whose release date has come (00:05, Copenhagen). */
@Injectable()
export class HoldReleaseProcessor implements JobProcessor<unknown>, OnModuleInit {
  readonly queue = HOLDS_QUEUE;
  readonly schedules: ReadonlyArray<Omit<ScheduledJob, 'queue'>> = [{ id: 'invoice-hold-release', name: 'release-due', schedule: { dailyAt: { hour: 0, minute: 5 } } }];

  constructor(
    private readonly registry: JobProcessorRegistry,
    private readonly holds: InvoiceHoldsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async process(job: JobContext<unknown>): Promise<void> {
    if (job.name === 'release-due') await this.holds.releaseDue();
  }
}
