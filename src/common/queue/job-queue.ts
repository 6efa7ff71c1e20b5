import { RuleError } from '../errors/rule-error';

/** What a processor sees of one job, the same under BullMQ and in-process. */
export interface JobContext<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  /** 1 on the first try. */
  readonly attempt: number;
  reportProgress(percent: number): Promise<void>;
}

export interface JobProcessor<T = unknown> {
  /** The queue this processor consumes. */
  readonly queue: string;
  process(job: JobContext<T>): Promise<void>;
  /**
   * Enqueues again what the stored state says is unfinished (a job lost with Redis, or with the
   * process in in-process mode). Called at start and then regularly by processes that run workers.
   */
  sweep?(): Promise<void>;
  /** Repeating jobs of this queue, declared by every process that runs workers (one scheduler each). */
  readonly schedules?: ReadonlyArray<Omit<ScheduledJob, 'queue'>>;
}

export interface EnqueueOptions {
  /** Deterministic id: enqueueing the same id twice runs the job once. */
  jobId: string;
  attempts?: number;
  /** The first retry's delay; each further one doubles it. */
  backoffMs?: number;
}

/** When a scheduled job runs: every so many milliseconds, or once a day at a time of day in Copenhagen. */
export type Schedule = { everyMs: number } | { dailyAt: { hour: number; minute: number } };

export interface ScheduledJob {
  queue: string;
  /** One scheduler per id, however many processes declare it. */
  id: string;
  schedule: Schedule;
  name: string;
  attempts?: number;
}

/** What admin sees of a queue in the embedded mode's plain list. */
export interface QueueOverview {
  queue: string;
  counts: Record<JobState, number>;
  failed: Array<{ jobId: string; name: string; error: string; attempts: number }>;
}

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'unknown';

/** The one small queue interface the services use; drivers are BullMQ and in-process. */
export abstract class JobQueue {
  abstract enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions): Promise<void>;
  /**
   * Declares a repeating job (a BullMQ job scheduler, or an in-process timer without Redis). Declaring it again
   * replaces it; several processes declaring one id make one scheduler. Its job's data is `{ scheduledAt }`.
   */
  abstract schedule(job: ScheduledJob): Promise<void>;
  /** The queues' job counts and failed jobs, for the embedded mode's list (BullMQ's have their dashboard). */
  abstract overview(): Promise<QueueOverview[]>;
  abstract state(queue: string, jobId: string): Promise<JobState>;
  /** Starts consuming the queues of the registered processors (worker role). */
  abstract startWorkers(processors: JobProcessor[]): Promise<void>;
  abstract close(): Promise<void>;
  /** Resolves when every job enqueued so far has settled (in-process driver); used by tests and shutdown. */
  abstract drain(): Promise<void>;
}

/** A final failure: the processor says retrying cannot help. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * Whether trying a job again cannot help: the processor said so, or a pure rule refused the job's data (the
 * same data breaks the same rule every time). Anything else may be passing (a lost connection) and is retried.
 */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof PermanentJobError || error instanceof RuleError;
}
