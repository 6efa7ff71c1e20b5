import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { RETRY_AFTER_SECONDS } from '../errors/unavailable';
import { BullmqQueueDriver } from '../queue/bullmq.driver';
import { JobQueue } from '../queue/job-queue';

type State = 'up' | 'down';

/** What /health tells anyone who asks: states only; the reason a check failed goes to the log, not out. */
export interface HealthBody {
  status: 'ok' | 'error';
  database: State;
  redis: State | 'not configured';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queue: JobQueue,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and readiness: database, and Redis when configured (503 with Retry-After when a dependency is down)' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthBody> {
    const onRedis = this.queue instanceof BullmqQueueDriver;
    const checks = [() => this.database.pingCheck('database').withTimeout(2000), ...(onRedis ? [() => this.redisCheck(this.queue as BullmqQueueDriver)] : [])];
    // Terminus logs what failed and answers with it in an exception; only the states are passed on.
    const details = await this.health.check(checks).then(
      (result) => result.details,
      (error: { getResponse?: () => unknown }) => {
        const body = error.getResponse?.() as { details?: Record<string, { status: string }> } | undefined;
        if (!body?.details) throw error;
        return body.details;
      },
    );
    const state = (key: string): State => (details[key]?.status === 'up' ? 'up' : 'down');
    const body: HealthBody = { status: 'ok', database: state('database'), redis: onRedis ? state('redis') : 'not configured' };
    if (body.database === 'down' || body.redis === 'down') {
      body.status = 'error';
      response.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    return body;
  }

  private redisCheck(queue: BullmqQueueDriver) {
    return this.indicators
      .check('redis')
      .attempt(async () => {
        if (queue.redis.status === 'wait') await queue.redis.connect();
        // While ioredis reconnects, commands would wait in its queue: answer at once instead.
        if (queue.redis.status !== 'ready') throw new Error(`Redis connection is ${queue.redis.status}`);
        await queue.redis.ping();
        return {};
      })
      .withTimeout(2000);
  }
}
