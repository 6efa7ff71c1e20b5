import { randomBytes } from 'node:crypto';
import { BullmqQueueDriver } from '../src/common/queue/bullmq.driver';
import { InProcessQueueDriver } from '../src/common/queue/in-process.driver';
import { RuleError } from '../src/common/errors/rule-error';
import { JobContext, JobProcessor, JobQueue, PermanentJobError } from '../src/common/queue/job-queue';
import { TEST_REDIS_URL } from './support/test-env';

/** A processor that records what it ran, and fails the first N tries of jobs asking for it. */
class RecordingProcessor implements JobProcessor<{ failTimes?: number; permanent?: boolean; broken?: boolean; value: string }> {
  readonly queue = 'recording';
  readonly runs: Array<{ id: string; attempt: number; value: string }> = [];
  private settle: Array<() => void> = [];

  async process(job: JobContext<{ failTimes?: number; permanent?: boolean; broken?: boolean; value: string }>): Promise<void> {
    this.runs.push({ id: job.id, attempt: job.attempt, value: job.data.value });
    await job.reportProgress(50);
    try {
      if (job.data.permanent) throw new PermanentJobError('cannot ever work');
      if (job.data.broken) throw new RuleError('calendar_month', "'0000-01' is not a calendar month (YYYY-MM)", { values: { month: '0000-01' } });
      if (job.attempt <= (job.data.failTimes ?? 0)) throw new Error(`transient failure ${job.attempt}`);
    } finally {
      this.settle.splice(0).forEach((resolve) => resolve());
    }
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.runs.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} runs, saw ${this.runs.length}`);
      await new Promise<void>((resolve) => {
        this.settle.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

const drivers: Array<[string, () => JobQueue]> = [
  ['in-process', () => new InProcessQueueDriver(10)],
  ['BullMQ on Redis', () => new BullmqQueueDriver({ redisUrl: TEST_REDIS_URL, prefix: `mtest:${randomBytes(6).toString('hex')}` })],
];

describe.each(drivers)('the %s queue driver', (_name, makeDriver) => {
  let queue: JobQueue;
  let processor: RecordingProcessor;

  beforeEach(async () => {
    queue = makeDriver();
    processor = new RecordingProcessor();
    await queue.startWorkers([processor]);
  });
  afterEach(() => queue.close());

  it('runs a job once even when the same job id is enqueued twice', async () => {
    await queue.enqueue('recording', 'demo', { value: 'a' }, { jobId: 'same-id' });
    await queue.enqueue('recording', 'demo', { value: 'b' }, { jobId: 'same-id' });
    await processor.waitFor(1);
    await queue.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processor.runs).toEqual([{ id: 'same-id', attempt: 1, value: 'a' }]);
    expect(await queue.state('recording', 'same-id')).toBe('completed');
  });

  it('retries a transient failure and then succeeds', async () => {
    await queue.enqueue('recording', 'demo', { value: 'x', failTimes: 1 }, { jobId: 'retry-me', attempts: 3 });
    await processor.waitFor(2);
    await queue.drain();
    expect(processor.runs.map((run) => run.attempt)).toEqual([1, 2]);
    for (let i = 0; i < 20 && (await queue.state('recording', 'retry-me')) !== 'completed'; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await queue.state('recording', 'retry-me')).toBe('completed');
  });

  it('does not retry a permanent failure', async () => {
    await queue.enqueue('recording', 'demo', { value: 'p', permanent: true }, { jobId: 'give-up', attempts: 5 });
    await processor.waitFor(1);
    await queue.drain();
    for (let i = 0; i < 20 && (await queue.state('recording', 'give-up')) !== 'failed'; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await queue.state('recording', 'give-up')).toBe('failed');
    expect(processor.runs).toHaveLength(1);
  });

  it('does not retry a job whose data a rule refuses', async () => {
    await queue.enqueue('recording', 'demo', { value: 'r', broken: true }, { jobId: 'refused', attempts: 5 });
    await processor.waitFor(1);
    await queue.drain();
    for (let i = 0; i < 20 && (await queue.state('recording', 'refused')) !== 'failed'; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await queue.state('recording', 'refused')).toBe('failed');
    expect(processor.runs).toHaveLength(1);
  });

  it('knows nothing of a job never enqueued', async () => {
    expect(await queue.state('recording', 'never')).toBe('unknown');
  });
});
