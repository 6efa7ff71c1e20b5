import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BullmqQueueDriver } from './bullmq.driver';
import { InProcessQueueDriver } from './in-process.driver';
import { JobProcessor, JobQueue } from './job-queue';

export const RUNS_WORKERS = Symbol('RUNS_WORKERS');
export const SWEEP_MS = Symbol('SWEEP_MS');
/** The Redis key prefix of this deployment (the queues', which tests make unique); other Redis keys go under it too. */
export const REDIS_PREFIX = Symbol('REDIS_PREFIX');

/** Modules register their processors here; the worker role starts them after boot. */
@Injectable()
export class JobProcessorRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobProcessors');
  private readonly processors: JobProcessor[] = [];
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly queue: JobQueue,
    @Inject(RUNS_WORKERS) private readonly runsWorkers: boolean,
    @Inject(SWEEP_MS) private readonly sweepMs: number,
  ) {}

  register(processor: JobProcessor): void {
    this.processors.push(processor);
  }

  /** The queues the registered processors consume (for the queue dashboard). */
  queueNames(): string[] {
    return [...new Set(this.processors.map((processor) => processor.queue))].sort();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsWorkers) return;
    await this.queue.startWorkers(this.processors);
    for (const processor of this.processors) {
      for (const schedule of processor.schedules ?? []) {
        // Not awaited: with Redis away at start the declaration waits for it, the process does not.
        void this.queue.schedule({ ...schedule, queue: processor.queue }).catch((error: unknown) => this.logger.warn({ queue: processor.queue, scheduler: schedule.id, err: error }, 'could not declare the job scheduler'));
      }
    }
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.queue.close();
  }

  private async sweep(): Promise<void> {
    for (const processor of this.processors) {
      try {
        await processor.sweep?.();
      } catch (error) {
        this.logger.warn({ queue: processor.queue, err: error }, 'sweep failed; the next one tries again');
      }
    }
  }
}

export interface QueueModuleOptions {
  redisUrl: string | null;
  prefix?: string;
  lockMs?: number;
  concurrency?: number;
  /** How often workers look for unfinished work to enqueue again. */
  sweepMs?: number;
  runsWorkers: boolean;
}

@Global()
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    const driver = options.redisUrl ? new BullmqQueueDriver({ redisUrl: options.redisUrl, prefix: options.prefix, lockMs: options.lockMs, concurrency: options.concurrency }) : new InProcessQueueDriver();
    return {
      module: QueueModule,
      providers: [
        { provide: JobQueue, useValue: driver },
        { provide: RUNS_WORKERS, useValue: options.runsWorkers },
        { provide: SWEEP_MS, useValue: options.sweepMs ?? 60_000 },
        { provide: REDIS_PREFIX, useValue: options.prefix ?? 'mentorportal' },
        JobProcessorRegistry,
      ],
      exports: [JobQueue, JobProcessorRegistry, REDIS_PREFIX, RUNS_WORKERS],
    };
  }
}
