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
}

export interface EnqueueOptions {
  /** Deterministic id: enqueueing the same id twice runs the job once. */
  jobId: string;
  attempts?: number;
}

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'unknown';

/** The one small queue interface the services use; drivers are BullMQ and in-process. */
export abstract class JobQueue {
  abstract enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions): Promise<void>;
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
