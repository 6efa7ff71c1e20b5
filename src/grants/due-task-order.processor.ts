import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobProcessorRegistry } from '../common/queue/queue.module';
import type { JobContext, JobProcessor } from '../common/queue/job-queue';
import { DueTaskOrder, TASK_ORDER_QUEUE } from './due-task-order.service';

/** Thin: rebuilds the stored first open tasks; the sweep queues a rebuild when dates are missing or stale. */
@Injectable()
export class DueTaskOrderProcessor implements JobProcessor<Record<string, never>>, OnModuleInit {
  readonly queue = TASK_ORDER_QUEUE;
  private readonly logger = new Logger('DueTaskOrderProcessor');

  constructor(
    private readonly order: DueTaskOrder,
    private readonly registry: JobProcessorRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** Grants stored without a date (a lost job, a bulk load) or under other rule sets (a new version). */
  async sweep(): Promise<void> {
    if (await this.order.needsRebuild()) await this.order.requestRebuild();
  }

  async process(job: JobContext<Record<string, never>>): Promise<void> {
    const started = Date.now();
    const computed = await this.order.rebuild();
    if (computed > 0) this.logger.debug({ jobId: job.id, computed, ms: Date.now() - started }, 'due-task order rebuilt');
  }
}
