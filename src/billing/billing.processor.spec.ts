import { RuleError } from '../common/errors/rule-error';
import type { AppConfig } from '../common/config/app-config';
import type { JobContext } from '../common/queue/job-queue';
import type { JobProcessorRegistry } from '../common/queue/queue.module';
import { RefundsProcessor } from '../refunds/refunds.processor';
import type { RefundClaimsService } from '../refunds/refund-claims.service';
import { BILLING_ATTEMPTS, BillingProcessor } from './billing.processor';
import type { BillingRunsService } from './billing-runs.service';

const job = <T>(name: string, data: T, attempt: number): JobContext<T> => ({ id: 'job-1', name, data, attempt, reportProgress: async () => undefined });
const registry = { register: () => undefined } as unknown as JobProcessorRegistry;
const config = { queueLockMs: 30_000 } as AppConfig;

describe('the processors when a rule refuses a job’s data', () => {
  const refused = new RuleError('statement_number_range', 'statement sequence 1000000 is outside 1–999999', { values: { year: 2026, sequence: 1_000_000, max: 999_999 } });

  it('fail the billing run on the first try, since trying again cannot help', async () => {
    const failed: string[] = [];
    const runs = { runBatch: async () => Promise.reject(refused), fail: async (runId: string, reason: string) => void failed.push(`${runId}: ${reason}`) } as unknown as BillingRunsService;
    const processor = new BillingProcessor(runs, registry, config);
    await expect(processor.process(job('batch', { runId: 'run-1', batch: 0 }, 1))).rejects.toBe(refused);
    expect(failed).toEqual(['run-1: statement sequence 1000000 is outside 1–999999']);
  });

  it('leave a passing failure to the next try, and fail the run after the last', async () => {
    const failed: string[] = [];
    const runs = { runBatch: async () => Promise.reject(new Error('Connection terminated unexpectedly')), fail: async (runId: string) => void failed.push(runId) } as unknown as BillingRunsService;
    const processor = new BillingProcessor(runs, registry, config);
    await expect(processor.process(job('batch', { runId: 'run-1', batch: 0 }, 1))).rejects.toThrow('Connection terminated');
    expect(failed).toEqual([]);
    await expect(processor.process(job('batch', { runId: 'run-1', batch: 0 }, BILLING_ATTEMPTS))).rejects.toThrow('Connection terminated');
    expect(failed).toEqual(['run-1']);
  });

  it('fail the refund claim on the first try', async () => {
    const failed: string[] = [];
    const claims = { compute: async () => Promise.reject(refused), fail: async (claimId: string, reason: string, computation?: number) => void failed.push(`${claimId}/${computation}: ${reason}`) } as unknown as RefundClaimsService;
    const processor = new RefundsProcessor(claims, registry, config);
    await expect(processor.process(job('compute', { claimId: 'claim-1', computation: 2 }, 1))).rejects.toBe(refused);
    expect(failed).toEqual(['claim-1/2: statement sequence 1000000 is outside 1–999999']);
  });
});
