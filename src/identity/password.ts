import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import type { Language } from '../common/web/page-context';
import { FairGate, GateFullError } from './hash-gate';
import { hashingBusy } from './sign-in-errors';

export { MIN_PASSWORD_LENGTH } from './password-policy.rules';

/**
 * argon2id with 19 MiB, 2 passes, 1 lane: OWASP's recommended minimum for argon2id. Online guessing is
 * held back by the sign-in budgets, not by the cost of one hash; a cheaper hash lets a two-core server
 * answer real sign-ins while it refuses a flood, and 19 MiB × 2 passes still makes an offline attack
 * on a leaked table memory-bound. More lanes only add threads on a small server. Hashes stored with
 * other parameters are still read (they carry their own) and are replaced at the next sign-in.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Every password hash of the process goes through one FairGate (LOGIN_HASH_CONCURRENCY at once,
 * LOGIN_HASH_QUEUE waiting, in turn per client address), so no flood of sign-ins can make the
 * process compute more hashes at once than it has cores and memory for.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly gate: FairGate;
  private dummyHash: Promise<string> | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.gate = new FairGate(config.loginHashConcurrency, config.loginHashQueue);
  }

  /** Hashes running and waiting now (for the health of sign-in, and its tests). */
  get load(): { running: number; waiting: number } {
    return this.gate.load;
  }

  onModuleInit(): void {
    // Ready before the first unknown e-mail, so that one costs no more than a known one.
    void this.dummy().catch(() => undefined);
  }

  /** Hashes a new password; `key` is whom it waits in turn with (the client address), `lang` the language of a refusal. */
  hash(password: string, key = 'system', lang: Language = 'en'): Promise<string> {
    return this.gated(key, lang, () => argon2.hash(password, ARGON2_OPTIONS));
  }

  verify(hash: string, password: string, key: string, lang: Language): Promise<boolean> {
    return this.gated(key, lang, async () => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    });
  }

  /** Spends the same time as a real check, so unknown e-mails cannot be told from wrong passwords. */
  async burn(password: string, key: string, lang: Language): Promise<false> {
    await this.verify(await this.dummy(), password, key, lang);
    return false;
  }

  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, ARGON2_OPTIONS);
    } catch {
      return true;
    }
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= argon2.hash('not-a-real-password-for-timing', ARGON2_OPTIONS);
    return this.dummyHash;
  }

  private async gated<T>(key: string, lang: Language, task: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(key, task);
    } catch (error) {
      if (error instanceof GateFullError) throw hashingBusy(lang);
      throw error;
    }
  }
}
