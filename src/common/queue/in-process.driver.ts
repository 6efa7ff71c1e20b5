import { Logger } from '@nestjs/common';
import { nextCopenhagenTime } from '../time/calendar-date';
import { EnqueueOptions, isUnrecoverable, JobProcessor, JobQueue, JobState, type QueueOverview, type ScheduledJob } from './job-queue';

interface Entry {
  queue: string;
  name: string;
  state: JobState;
  settled: Promise<void>;
  attempts: number;
  error: string | null;
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
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private enqueued = 0;

  constructor(private readonly backoffMs = 200) {
    super();
  }

  async enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions): Promise<void> {
    if (this.closed) throw new Error('The queue is closed');
    const key = `${queue}:${options.jobId}`;
    const known = this.jobs.get(key);
    if (known && known.state !== 'failed') return;
    const entry: Entry = { queue, name, state: 'waiting', settled: Promise.resolve(), attempts: 0, error: null };
    entry.settled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(queue, name, options, data, entry));
    this.jobs.set(key, entry);
    this.enqueued += 1;
  }

  async state(queue: string, jobId: string): Promise<JobState> {
    return this.jobs.get(`${queue}:${jobId}`)?.state ?? 'unknown';
  }

  /** A timer in this process; each run is a job whose id is the scheduler's and the time slot's, so a slot runs once. */
  async schedule(job: ScheduledJob): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.timers.get(job.id));
    const fire = async (slot: number) => {
      const key = `${job.queue}:${job.id}:${slot}`;
      await this.enqueue(job.queue, job.name, { scheduledAt: new Date(slot).toISOString() }, { jobId: `${job.id}:${slot}`, attempts: job.attempts }).catch(() => undefined);
      // A run that went well is forgotten, so a timer that fires for months keeps no list of its runs.
      await this.jobs.get(key)?.settled;
      if (this.jobs.get(key)?.state === 'completed') this.jobs.delete(key);
    };
    const arm = () => {
      if (this.closed) return;
      const now = Date.now();
      const next = 'everyMs' in job.schedule ? (Math.floor(now / job.schedule.everyMs) + 1) * job.schedule.everyMs : nextCopenhagenTime(new Date(now), job.schedule.dailyAt.hour, job.schedule.dailyAt.minute).getTime();
      const timer = setTimeout(() => {
        void fire(next);
        arm();
      }, next - now);
      timer.unref();
      this.timers.set(job.id, timer);
    };
    arm();
  }

  async overview(): Promise<QueueOverview[]> {
    const byQueue = new Map<string, QueueOverview>();
    const empty = (queue: string): QueueOverview => ({ queue, counts: { waiting: 0, active: 0, completed: 0, failed: 0, unknown: 0 }, failed: [] });
    for (const queue of this.processors.keys()) byQueue.set(queue, empty(queue));
    for (const [key, entry] of this.jobs) {
      const view = byQueue.get(entry.queue) ?? empty(entry.queue);
      view.counts[entry.state] += 1;
      if (entry.state === 'failed') view.failed.push({ jobId: key.slice(entry.queue.length + 1), name: entry.name, error: entry.error ?? '', attempts: entry.attempts });
      byQueue.set(entry.queue, view);
    }
    return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  }

  async startWorkers(processors: JobProcessor[]): Promise<void> {
    for (const processor of processors) this.processors.set(processor.queue, processor);
    this.pending.splice(0).forEach((start) => start());
  }

  async drain(): Promise<void> {
    // Counted by jobs enqueued, not by the map's size: a timer's finished runs leave the map.
    let seen = -1;
    while (seen !== this.enqueued) {
      seen = this.enqueued;
      await Promise.all([...this.jobs.values()].map((entry) => entry.settled));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    await this.drain();
  }

  private async run<T>(queue: string, name: string, options: EnqueueOptions, data: T, entry: Entry): Promise<void> {
    const processor = this.processors.get(queue) ?? (await this.waitForProcessor(queue));
    const attempts = options.attempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      entry.state = 'active';
      entry.attempts = attempt;
      try {
        await processor.process({ id: options.jobId, name, data, attempt, reportProgress: async () => undefined });
        entry.state = 'completed';
        return;
      } catch (error) {
        const final = isUnrecoverable(error) || attempt === attempts;
        this.logger.warn({ queue, jobId: options.jobId, attempt, final, err: error }, 'job failed');
        if (final) {
          entry.state = 'failed';
          entry.error = error instanceof Error ? error.message : String(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? this.backoffMs) * 2 ** (attempt - 1)));
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
