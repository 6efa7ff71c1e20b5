import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import IORedis, { type Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { REDIS_PREFIX } from '../common/queue/queue.module';
import type { Language } from '../common/web/page-context';
import { tooManyAttempts } from './sign-in-errors';

/** The budgets an attempt was counted against, to give back when it succeeds. */
export interface CountedAttempt {
  readonly counted: ReadonlyArray<{ limiter: RateLimiterAbstract; key: string }>;
}

/**
 * Budgets of failed sign-ins per minute: per client address and e-mail (one user's typing does not
 * lock out an office), per client address (one address cannot try e-mail after e-mail) and for the
 * whole deployment (past which only addresses without a failure this minute get in). Every attempt is counted before its password is checked, so a burst of parallel
 * attempts cannot all slip in, and given back when it succeeds: successful sign-ins use no budget.
 * With Redis the counts are shared by every process; without, they are this process's.
 */
@Injectable()
export class LoginLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('LoginLimiter');
  private readonly redis: Redis | null;
  private readonly perAccount: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;
  private readonly global: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS_PREFIX) prefix: string) {
    // No offline queue: while Redis is away a count fails at once and the in-memory insurance counts instead.
    this.redis = config.redisUrl ? new IORedis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'login-limiter' }) : null;
    this.redis?.on('error', (error: Error) => this.logger.debug({ err: error.message }, 'Redis unavailable; sign-in budgets are counted in memory'));
    const limiter = (name: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration: 60 });
      if (!this.redis) return memory;
      return new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${prefix}:login:${name}`, points, duration: 60, rejectIfRedisNotReady: true, insuranceLimiter: memory });
    };
    this.perAccount = limiter('account', config.loginRateLimitPerMinute);
    this.perAddress = limiter('address', config.loginAddressLimitPerMinute);
    this.global = limiter('global', config.loginGlobalLimitPerMinute);
  }

  /** Counts an attempt; a spent budget answers 429 with Retry-After before any password is checked. */
  async count(address: string, email: string, lang: Language): Promise<CountedAttempt> {
    const counted: Array<{ limiter: RateLimiterAbstract; key: string }> = [];
    // In this order, so attempts refused for their address do not use up everyone's budget.
    for (const [limiter, key] of [
      [this.perAccount, `${address}|${email}`],
      [this.perAddress, address],
      [this.global, 'all'],
    ] as const) {
      try {
        await limiter.consume(key);
      } catch (refusal) {
        // With everyone's budget spent, an address that has not failed this minute still gets its try:
        // a flood from many addresses slows sign-in down but does not shut out the users who type right.
        if (refusal instanceof RateLimiterRes && limiter === this.global && (await this.firstFromAddress(address))) break;
        if (refusal instanceof RateLimiterRes) {
          // Once per budget and window, not once per refused attempt: a flood must not flood the log too.
          if (refusal.consumedPoints === limiter.points + 1) this.logger.warn({ address, budget: limiter.keyPrefix }, 'sign-in budget spent');
          throw tooManyAttempts(lang, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
        }
        throw refusal;
      }
      counted.push({ limiter, key });
    }
    return { counted };
  }

  private async firstFromAddress(address: string): Promise<boolean> {
    const own = await this.perAddress.get(address).catch(() => null);
    return own !== null && own.consumedPoints <= 1;
  }

  /** Gives an attempt's counts back: it succeeded, or it was never checked. */
  async giveBack(attempt: CountedAttempt): Promise<void> {
    await Promise.all(attempt.counted.map(({ limiter, key }) => limiter.reward(key).catch(() => undefined)));
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.redis) return;
    // quit() needs a live connection; disconnect() also ends the reconnecting of a client that never got one,
    // which would otherwise keep the process alive.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
