import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { JobProcessorRegistry } from '../common/queue/queue.module';
import { isUnrecoverable, type JobContext, type JobProcessor } from '../common/queue/job-queue';
import { BILLING_QUEUE, BillingRunsService } from './billing-runs.service';

export const BILLING_ATTEMPTS = 5;

type BillingJob = { runId: string; batch?: number };

/** Thin: parses the job, calls the service, logs one line; the run is marked failed after the last try. */
@Injectable()
export class BillingProcessor implements JobProcessor<BillingJob>, OnModuleInit {
  readonly queue = BILLING_QUEUE;
  private readonly logger = new Logger('BillingProcessor');

  constructor(
    private readonly runs: BillingRunsService,
    private readonly registry: JobProcessorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs with no progress for two lock times have lost their jobs. */
  async sweep(): Promise<void> {
    await this.runs.requeueStalled(2 * this.config.queueLockMs);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async process(job: JobContext<BillingJob>): Promise<void> {
    const started = Date.now();
    try {
      if (job.name === 'plan') {
        await this.runs.plan(job.data.runId);
      } else if (job.name === 'batch') {
        const done = await this.runs.runBatch(job.data.runId, job.data.batch ?? 0, (percent) => job.reportProgress(percent));
        this.logger.log({ runId: job.data.runId, batch: job.data.batch, suppliers: done, ms: Date.now() - started, attempt: job.attempt }, 'billing batch done');
      } else {
        throw new Error(`unknown billing job ${job.name}`);
      }
    } catch (error) {
      // The last try, or a rule that refuses the run's data on every try: the run fails now.
      if (job.attempt >= BILLING_ATTEMPTS || isUnrecoverable(error)) await this.runs.fail(job.data.runId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}
