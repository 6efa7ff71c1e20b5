import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateSecret, generateURI, verify } from 'otplib';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor, Role } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import type { Language } from '../common/web/page-context';
import { twoFactorAlreadyOn, twoFactorCodeInvalid, twoFactorNotStarted } from './identity.errors';
import { SessionStore } from './session.store';
import { newRecoveryCodes, openSecret, readCode, recoveryCodeHash, sealSecret, TOTP_PERIOD_SECONDS, TOTP_TOLERANCE_SECONDS, totpKey } from './two-factor.rules';
import { TwoFactorStore } from './two-factor.store';

export interface TwoFactorStatus {
  enabled: boolean;
  /** The user's role needs a second factor when signing in with a password (TWO_FACTOR_ROLES). */
  required: boolean;
  recoveryCodesLeft: number;
}

export interface TwoFactorSetup {
  /** Base32, for typing into the app by hand. */
  secret: string;
  /** `otpauth://totp/...`, for the QR code. */
  otpauthUri: string;
}

/**
 * Two-factor sign-in of local accounts: TOTP (RFC 6238) from an authenticator app, with ten recovery codes
 * shown once. A code is accepted once (the last time step used is kept), a recovery code once.
 */
@Injectable()
export class TwoFactorService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly store: TwoFactorStore,
    private readonly sessions: SessionStore,
  ) {
    this.key = totpKey(config.cprEncryptionKey);
  }

  requiredFor(role: Role): boolean {
    return this.config.twoFactorRoles.includes(role);
  }

  async enabled(userId: string): Promise<boolean> {
    return ((await this.store.get(this.dataSource.manager, userId))?.confirmedAt ?? null) !== null;
  }

  async status(userId: string, role: Role): Promise<TwoFactorStatus> {
    const manager = this.dataSource.manager;
    const row = await this.store.get(manager, userId);
    const enabled = (row?.confirmedAt ?? null) !== null;
    return { enabled, required: this.requiredFor(role), recoveryCodesLeft: enabled ? await this.store.recoveryCodesLeft(manager, userId) : 0 };
  }

  /** A new secret to confirm with a code; 409 when two-factor is on already. */
  async begin(user: { id: string; email: string }, actor: Actor): Promise<TwoFactorSetup> {
    const secret = generateSecret();
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.begin(manager, user.id, sealSecret(secret, this.key)))) {
        throw twoFactorAlreadyOn();
      }
      await this.audit.record(manager, actor, { action: 'user.two_factor_started', entityType: 'user', entityId: user.id });
    });
    return { secret, otpauthUri: generateURI({ issuer: 'Mentorportalen', label: user.email, secret }) };
  }

  /**
   * Confirms the set-up with a code from the app: two-factor is on, the session used leaves its set-up-only
   * state, and ten recovery codes are answered, this once.
   */
  async confirm(userId: string, sessionId: string | null, code: string, actor: Actor, language: Language): Promise<string[]> {
    const row = await this.store.get(this.dataSource.manager, userId);
    if (!row || row.confirmedAt) throw twoFactorNotStarted(language);
    const typed = readCode(code);
    const step = typed?.kind === 'totp' ? await this.totpStep(row.sealedSecret, typed.code, null) : null;
    if (step === null) throw twoFactorCodeInvalid(language, 'the code is wrong or expired');
    const codes = newRecoveryCodes();
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.confirm(manager, userId, step))) throw twoFactorNotStarted(language);
      await this.store.replaceRecoveryCodes(manager, userId, codes.map(recoveryCodeHash));
      if (sessionId) await this.sessions.completeTwoFactor(manager, sessionId);
      await this.audit.record(manager, actor, { action: 'user.two_factor_enabled', entityType: 'user', entityId: userId });
    });
    return codes;
  }

  /** Ten new recovery codes for a user with two-factor on (the old ones stop working), after a valid code. */
  async renewRecoveryCodes(userId: string, code: string, actor: Actor, language: Language): Promise<string[]> {
    if (!(await this.check(userId, code))) throw twoFactorCodeInvalid(language);
    const codes = newRecoveryCodes();
    await this.dataSource.transaction(async (manager) => {
      await this.store.replaceRecoveryCodes(manager, userId, codes.map(recoveryCodeHash));
      await this.audit.record(manager, actor, { action: 'user.recovery_codes_renewed', entityType: 'user', entityId: userId });
    });
    return codes;
  }

  /**
   * Whether the code opens the user's second factor: a TOTP code of a time step later than the last one used,
   * or an unused recovery code (then used up). Either is accepted once.
   */
  async check(userId: string, code: unknown): Promise<'totp' | 'recovery' | null> {
    const typed = readCode(code);
    if (!typed) return null;
    const manager = this.dataSource.manager;
    const row = await this.store.get(manager, userId);
    if (!row?.confirmedAt) return null;
    if (typed.kind === 'recovery') return (await this.store.useRecoveryCode(manager, userId, recoveryCodeHash(typed.code))) ? 'recovery' : null;
    const step = await this.totpStep(row.sealedSecret, typed.code, row.lastTimeStep);
    return step !== null && (await this.store.useTimeStep(manager, userId, step)) ? 'totp' : null;
  }

  /** An administrator turns a user's two-factor off (a lost phone); the user sets it up again at next sign-in. */
  async reset(userId: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (await this.store.remove(manager, userId)) await this.audit.record(manager, actor, { action: 'user.two_factor_reset', entityType: 'user', entityId: userId });
    });
  }

  enrolledUsers(): Promise<Set<string>> {
    return this.store.enrolledUsers(this.dataSource.manager);
  }

  private async totpStep(sealed: Buffer, code: string, after: number | null): Promise<number | null> {
    const result = await verify({
      secret: openSecret(sealed, this.key),
      token: code,
      period: TOTP_PERIOD_SECONDS,
      epochTolerance: TOTP_TOLERANCE_SECONDS,
      ...(after === null ? {} : { afterTimeStep: after }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }
}
