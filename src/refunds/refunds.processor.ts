import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobProcessorRegistry } from '../common/queue/queue.module';
import type { JobContext, JobProcessor } from '../common/queue/job-queue';
import { REFUND_QUEUE, RefundClaimsService } from './refund-claims.service';

const ATTEMPTS = 3;

/** Thin: computes the claim; after the last try the claim is marked failed with the reason. */
@Injectable()
export class RefundsProcessor implements JobProcessor<{ claimId: string }>, OnModuleInit {
  readonly queue = REFUND_QUEUE;

  constructor(
    private readonly claims: RefundClaimsService,
    private readonly registry: JobProcessorRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async process(job: JobContext<{ claimId: string }>): Promise<void> {
    try {
      await this.claims.compute(job.data.claimId);
    } catch (error) {
      if (job.attempt >= ATTEMPTS) await this.claims.fail(job.data.claimId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}
