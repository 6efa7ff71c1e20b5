import { Logger } from '@nestjs/common';
import { EnqueueOptions, isUnrecoverable, JobProcessor, JobQueue, JobState } from './job-queue';

interface Entry {
  state: JobState;
  settled: Promise<void>;
}

/**
 * Runs jobs in this process through the same processors as the BullMQ driver,
 * for the embedded demo mode without Redis. Retries with a short backoff; a job
 * id already known is not run again.
 */
export class InProcessQueueDriver extends JobQueue {
  private readonly logger = new Logger('InProcessQueue');
  private readonly processors = new Map<string, JobProcessor>();
  private readonly jobs = new Map<string, Entry>();
  private readonly pending: Array<() => void> = [];
  private closed = false;

  constructor(private readonly backoffMs = 200) {
    super();
  }

  async enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions): Promise<void> {
    if (this.closed) throw new Error('The queue is closed');
    const key = `${queue}:${options.jobId}`;
    const known = this.jobs.get(key);
    if (known && known.state !== 'failed') return;
    const entry: Entry = { state: 'waiting', settled: Promise.resolve() };
    entry.settled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(queue, name, options, data, entry));
    this.jobs.set(key, entry);
  }

  async state(queue: string, jobId: string): Promise<JobState> {
    return this.jobs.get(`${queue}:${jobId}`)?.state ?? 'unknown';
  }

  async startWorkers(processors: JobProcessor[]): Promise<void> {
    for (const processor of processors) this.processors.set(processor.queue, processor);
    this.pending.splice(0).forEach((start) => start());
  }

  async drain(): Promise<void> {
    let size = -1;
    while (size !== this.jobs.size) {
      size = this.jobs.size;
      await Promise.all([...this.jobs.values()].map((entry) => entry.settled));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  private async run<T>(queue: string, name: string, options: EnqueueOptions, data: T, entry: Entry): Promise<void> {
    const processor = this.processors.get(queue) ?? (await this.waitForProcessor(queue));
    const attempts = options.attempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      entry.state = 'active';
      try {
        await processor.process({ id: options.jobId, name, data, attempt, reportProgress: async () => undefined });
        entry.state = 'completed';
        return;
      } catch (error) {
        const final = isUnrecoverable(error) || attempt === attempts;
        this.logger.warn({ queue, jobId: options.jobId, attempt, final, err: error }, 'job failed');
        if (final) {
          entry.state = 'failed';
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.backoffMs * attempt));
      }
    }
  }

  private waitForProcessor(queue: string): Promise<JobProcessor> {
    return new Promise((resolve) => {
      const check = () => {
        const processor = this.processors.get(queue);
        if (processor) resolve(processor);
        else this.pending.push(check);
      };
      check();
    });
  }
}
