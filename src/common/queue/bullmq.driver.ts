import { Logger } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { EnqueueOptions, isUnrecoverable, JobProcessor, JobQueue, JobState, type QueueOverview, type ScheduledJob } from './job-queue';

export interface BullmqDriverOptions {
  redisUrl: string;
  /** Key prefix, so test suites and deployments can share one Redis. */
  prefix?: string;
  concurrency?: number;
  /** A job's lock; a worker that dies holding it loses the job to another after this long. */
  lockMs?: number;
}

/** Runs jobs through BullMQ on Redis: any number of worker processes may consume. */
export class BullmqQueueDriver extends JobQueue {
  private readonly logger = new Logger('BullmqQueue');
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connection: Redis;
  /** Workers need blocking connections of their own; BullMQ does not close connections it was given. */
  private readonly workerConnections: Redis[] = [];
  private closing = false;

  constructor(private readonly options: BullmqDriverOptions) {
    super();
    this.connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: true });
  }

  get redis(): Redis {
    return this.connection;
  }

  async enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions): Promise<void> {
    // While Redis is away, ioredis keeps the command until it is back; the caller is not kept waiting,
    // and the stored state (a queued run) lets the sweeper enqueue it again if Redis lost it.
    if (!(await this.connected(2000))) {
      void this.add(queue, name, data, options).catch((error: unknown) => this.logger.warn({ queue, jobId: options.jobId, err: error }, 'enqueue failed'));
      this.logger.warn({ queue, jobId: options.jobId, redis: this.connection.status }, 'Redis is not connected; the job is sent when it is back');
      return;
    }
    await this.add(queue, name, data, options);
  }

  /** Whether Redis answers within the time; connects a lazy connection on first use. */
  private connected(timeoutMs: number): Promise<boolean> {
    if (this.connection.status === 'ready') return Promise.resolve(true);
    if (this.connection.status === 'wait') this.connection.connect().catch(() => undefined);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.connection.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.connection.once('ready', onReady);
    });
  }

  private async add<T>(queue: string, name: string, data: T, options: EnqueueOptions): Promise<void> {
    await this.queue(queue).add(name, data, {
      jobId: options.jobId,
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }

  async state(queue: string, jobId: string): Promise<JobState> {
    const job = await this.queue(queue).getJob(jobId);
    if (!job) return 'unknown';
    const state = await job.getState();
    if (state === 'completed' || state === 'failed' || state === 'active') return state;
    return state === 'unknown' ? 'unknown' : 'waiting';
  }

  /** A BullMQ job scheduler: kept in Redis, so every process that declares it shares one. */
  async schedule(job: ScheduledJob): Promise<void> {
    const repeat = 'everyMs' in job.schedule ? { every: job.schedule.everyMs } : { pattern: `${job.schedule.dailyAt.minute} ${job.schedule.dailyAt.hour} * * *`, tz: 'Europe/Copenhagen' };
    await this.queue(job.queue).upsertJobScheduler(job.id, repeat, {
      name: job.name,
      data: {},
      // A run every few seconds keeps only its last hundred runs; failures stay a month for the dashboard.
      opts: { attempts: job.attempts ?? 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 100 }, removeOnFail: { age: 30 * 24 * 3600 } },
    });
  }

  async overview(): Promise<QueueOverview[]> {
    return Promise.all(
      [...this.queues.keys()].sort().map(async (name) => {
        const queue = this.queue(name);
        const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
        const failed = await queue.getFailed(0, 19);
        return {
          queue: name,
          counts: { waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0), active: counts.active ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0, unknown: 0 },
          failed: failed.map((j) => ({ jobId: j.id ?? '', name: j.name, error: j.failedReason ?? '', attempts: j.attemptsMade })),
        };
      }),
    );
  }

  /** The BullMQ queues of these names, for the queue dashboard. */
  queuesNamed(names: readonly string[]): Queue[] {
    return names.map((name) => this.queue(name));
  }

  async startWorkers(processors: JobProcessor[]): Promise<void> {
    // A BullMQ worker whose first connection fails stops for good: with Redis away at start, the
    // workers are made once it answers (the process itself starts, and /health says Redis is down).
    if (await this.connected(2000)) {
      this.createWorkers(processors);
    } else {
      this.logger.warn({ redis: this.connection.status }, 'Redis is not answering; workers start when it is back');
      this.connection.once('ready', () => this.createWorkers(processors));
    }
  }

  private createWorkers(processors: JobProcessor[]): void {
    if (this.closing) return;
    for (const processor of processors) {
      const connection = this.connection.duplicate();
      this.workerConnections.push(connection);
      const worker = new Worker(
        processor.queue,
        async (job: Job) => {
          try {
            await processor.process({
              id: job.id ?? '',
              name: job.name,
              data: job.data,
              attempt: job.attemptsMade + 1,
              reportProgress: (percent) => job.updateProgress(percent),
            });
          } catch (error) {
            if (isUnrecoverable(error)) throw new UnrecoverableError((error as Error).message);
            throw error;
          }
        },
        {
          connection,
          prefix: this.options.prefix,
          concurrency: this.options.concurrency ?? 1,
          lockDuration: this.options.lockMs ?? 30_000,
          stalledInterval: this.options.lockMs ?? 30_000,
        },
      );
      worker.on('failed', (job, error) => this.logger.warn({ queue: processor.queue, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed'));
      worker.on('error', (error) => this.logger.error({ queue: processor.queue, err: error }, 'worker error'));
      this.workers.push(worker);
    }
    for (const worker of this.workers) {
      worker.waitUntilReady().then(
        () => this.logger.log({ queue: worker.name }, 'worker ready'),
        (error: unknown) => this.logger.error({ queue: worker.name, err: error }, 'worker could not connect'),
      );
    }
  }

  async drain(): Promise<void> {
    // Jobs live in Redis; other processes may run them. Nothing to wait for here.
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.workerConnections.forEach((connection) => connection.disconnect());
    this.connection.disconnect();
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }
}
