import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { JobProcessorRegistry } from '../common/queue/queue.module';
import { isUnrecoverable, type JobContext, type JobProcessor } from '../common/queue/job-queue';
import { REFUND_QUEUE, RefundClaimsService } from './refund-claims.service';

const ATTEMPTS = 3;

/** A job computes one computation of a claim; jobs enqueued before computations were counted carry none. */
interface RefundJob {
  claimId: string;
  computation?: number;
}

/** Thin: computes the claim; after the last try the claim is marked failed with the reason. */
@Injectable()
export class RefundsProcessor implements JobProcessor<RefundJob>, OnModuleInit {
  readonly queue = REFUND_QUEUE;

  constructor(
    private readonly claims: RefundClaimsService,
    private readonly registry: JobProcessorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<void> {
    await this.claims.requeueStalled(2 * this.config.queueLockMs);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async process(job: JobContext<RefundJob>): Promise<void> {
    try {
      await this.claims.compute(job.data.claimId, job.data.computation);
    } catch (error) {
      // The last try, or a rule that refuses the claim's data on every try: the claim fails now.
      if (job.attempt >= ATTEMPTS || isUnrecoverable(error)) await this.claims.fail(job.data.claimId, error instanceof Error ? error.message : String(error), job.data.computation);
      throw error;
    }
  }
}
