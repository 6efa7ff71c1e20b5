import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BullmqQueueDriver } from './bullmq.driver';
import { InProcessQueueDriver } from './in-process.driver';
import { JobProcessor, JobQueue } from './job-queue';

export const RUNS_WORKERS = Symbol('RUNS_WORKERS');

/** Modules register their processors here; the worker role starts them after boot. */
@Injectable()
export class JobProcessorRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly processors: JobProcessor[] = [];

  constructor(
    private readonly queue: JobQueue,
    @Inject(RUNS_WORKERS) private readonly runsWorkers: boolean,
  ) {}

  register(processor: JobProcessor): void {
    this.processors.push(processor);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.runsWorkers) await this.queue.startWorkers(this.processors);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

export interface QueueModuleOptions {
  redisUrl: string | null;
  prefix?: string;
  lockMs?: number;
  runsWorkers: boolean;
}

@Global()
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    const driver = options.redisUrl ? new BullmqQueueDriver({ redisUrl: options.redisUrl, prefix: options.prefix, lockMs: options.lockMs }) : new InProcessQueueDriver();
    return {
      module: QueueModule,
      providers: [{ provide: JobQueue, useValue: driver }, { provide: RUNS_WORKERS, useValue: options.runsWorkers }, JobProcessorRegistry],
      exports: [JobQueue, JobProcessorRegistry],
    };
  }
}
