import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { BullmqQueueDriver } from '../queue/bullmq.driver';
import { JobQueue } from '../queue/job-queue';

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
  @ApiOperation({ summary: 'Liveness and readiness: database, and Redis when configured (503 when a dependency is down)' })
  async check(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    try {
      return await this.health.check([() => this.database.pingCheck('database').withTimeout(2000), () => this.queueCheck()]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        response.status(503);
        return error.getResponse();
      }
      throw error;
    }
  }

  private queueCheck() {
    const queue = this.queue;
    if (!(queue instanceof BullmqQueueDriver)) return this.indicators.check('queue').up({ driver: 'in-process' });
    return this.indicators
      .check('redis')
      .attempt(async () => {
        if (queue.redis.status === 'wait') await queue.redis.connect();
        // While ioredis reconnects, commands would wait in its queue: answer at once instead.
        if (queue.redis.status !== 'ready') throw new Error(`Redis connection is ${queue.redis.status}`);
        await queue.redis.ping();
        return { driver: 'bullmq' };
      })
      .withTimeout(2000);
  }
}
