import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BullmqQueueDriver } from '../common/queue/bullmq.driver';
import { JobQueue, type QueueOverview } from '../common/queue/job-queue';
import { JobProcessorRegistry } from '../common/queue/queue.module';

export const QUEUES_PATH = '/admin/queues';

type Router = (request: Request, response: Response, next: NextFunction) => void;

/**
 * Admin's view of the job queues: with Redis, the @bull-board dashboard of every queue, read-only (it shows
 * queues, jobs and failures and offers no action, so it answers GET only and needs no CSRF token); without
 * Redis, the in-process driver's counts and failed jobs for a plain list.
 */
@Injectable()
export class QueueDashboard {
  private router: Router | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly registry: JobProcessorRegistry,
  ) {}

  get onRedis(): boolean {
    return this.queue instanceof BullmqQueueDriver;
  }

  overview(): Promise<QueueOverview[]> {
    return this.queue.overview();
  }

  /** Serves a dashboard request under /admin/queues; the guards (admin only) have run. */
  serve(request: Request, response: Response, next: NextFunction): void {
    const router = this.dashboard();
    request.url = request.originalUrl.slice(QUEUES_PATH.length) || '/';
    request.baseUrl = QUEUES_PATH;
    // The dashboard's own page sets its styles inline; its scripts come from this server.
    response.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'");
    router(request, response, next);
  }

  private dashboard(): Router {
    if (this.router) return this.router;
    if (!(this.queue instanceof BullmqQueueDriver)) throw new Error('the queue dashboard needs Redis');
    const adapter = new ExpressAdapter();
    adapter.setBasePath(QUEUES_PATH);
    createBullBoard({
      queues: this.queue.queuesNamed(this.registry.queueNames()).map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: 'Mentorportal' } },
    });
    this.router = adapter.getRouter() as Router;
    return this.router;
  }
}
