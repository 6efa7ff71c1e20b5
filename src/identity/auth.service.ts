import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, type Role } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { AuthenticatedUser, RequestMeta } from '../common/auth/authenticated-user';
import type { Language } from '../common/web/page-context';
import type { SignInMethod } from './auth-session.entity';
import { federatedRefused, twoFactorCodeWrong, twoFactorRequired } from './identity.errors';
import { LoginLimiter } from './login-limiter';
import { PasswordHasher } from './password';
import { supplierInactive } from './sign-in-errors';
import { SessionStore } from './session.store';
import { SupplierDirectory } from './supplier-directory';
import { TwoFactorService } from './two-factor.service';
import { User } from './user.entity';
import { UserStore } from './user.store';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: AuthenticatedUser;
}

/** Where a sign-in comes from, and the language its refusals are given in. */
export interface SignInMeta extends RequestMeta {
  language: Language;
}

/** A password sign-in that got past its second factor: how it was made, and whether the set-up is still due. */
export interface PasswordSignIn {
  user: User;
  method: Extract<SignInMethod, 'password' | 'password_totp'>;
  pendingTwoFactor: boolean;
}

/** How a session is opened. */
export interface SessionOptions {
  method: SignInMethod;
  pendingTwoFactor?: boolean;
  /** The ID token of an OpenID Connect sign-in. */
  idToken?: string | null;
}


const TOKEN_PREFIX = 'mps_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly limiter: LoginLimiter,
    private readonly hasher: PasswordHasher,
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly twoFactor: TwoFactorService,
    private readonly supplierDirectory: SupplierDirectory,
  ) {}

  /**
   * Checks e-mail and password; a failure is audited and answered without saying which part was wrong.
   * The attempt is counted against the sign-in budgets first (429 when spent) and its hash waits its turn
   * (503 when the queue is full); a success gives its count back. API and pages sign in through here.
   */
  async verifyCredentials(email: string, password: string, meta: SignInMeta): Promise<User> {
    const normalized = email.trim().toLowerCase().slice(0, 200);
    const address = meta.ip ?? 'unknown';
    const attempt = await this.limiter.count(address, normalized, meta.language);
    const found = await this.users.signInCandidate(this.dataSource.manager, normalized);
    const user = found?.user;
    let valid: boolean;
    try {
      valid = user?.passwordHash ? await this.hasher.verify(user.passwordHash, password, address, meta.language) : await this.hasher.burn(password, address, meta.language);
    } catch (error) {
      await this.limiter.giveBack(attempt);
      throw error;
    }
    if (!user || !valid || !user.active) {
      await this.recordFailure(normalized, user?.id ?? null, !user ? 'unknown_email' : !user.active ? 'inactive' : 'wrong_password', meta);
      throw new DomainException(DomainErrorCode.Unauthenticated, 'The e-mail or password is not correct');
    }
    await this.limiter.giveBack(attempt);
    // Said only to whoever knows the password: the company's access is closed, not the password wrong.
    if (user.supplierId !== null && found?.supplierActive !== true) {
      await this.recordFailure(normalized, user.id, 'supplier_inactive', meta);
      throw supplierInactive(meta.language);
    }
    if (user.passwordHash && this.hasher.needsRehash(user.passwordHash)) await this.rehash(user.id, password, address, meta.language);
    return user;
  }

  /**
   * The second step of a password sign-in. A user with two-factor on must give a code (`otp`: the app's six
   * digits or a recovery code); a wrong one counts against the sign-in budgets like a wrong password and is
   * audited. A user whose role needs two-factor (TWO_FACTOR_ROLES) but has none yet signs in to the set-up only.
   */
  async secondFactor(user: User, otp: unknown, meta: SignInMeta): Promise<PasswordSignIn> {
    if (!(await this.twoFactor.enabled(user.id))) return { user, method: 'password', pendingTwoFactor: this.twoFactor.requiredFor(user.role) };
    if (otp === undefined || otp === null || otp === '') throw twoFactorRequired(meta.language);
    const attempt = await this.limiter.count(meta.ip ?? 'unknown', user.email, meta.language);
    const used = await this.twoFactor.check(user.id, otp);
    if (!used) {
      await this.recordFailure(user.email, user.id, 'wrong_second_factor', meta);
      throw twoFactorCodeWrong(meta.language);
    }
    await this.limiter.giveBack(attempt);
    return { user, method: 'password_totp', pendingTwoFactor: false };
  }

  private async recordFailure(email: string, userId: string | null, reason: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, { userId: null, role: 'anonymous', label: email, ip: meta.ip, requestId: meta.requestId }, {
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: userId,
        change: { email, reason },
      }),
    );
  }

  /** A hash stored with older parameters is replaced by one with today's, while the password is at hand. */
  private async rehash(userId: string, password: string, address: string, language: Language): Promise<void> {
    try {
      const passwordHash = await this.hasher.hash(password, address, language);
      await this.users.update(this.dataSource.manager, userId, { passwordHash });
    } catch (error) {
      // The sign-in itself succeeded; the next one tries again.
      if (!(error instanceof DomainException)) throw error;
    }
  }

  /** Opens a session for a verified user: the token is shown once, only its hash is kept. */
  async openSession(user: User, meta: RequestMeta & { userAgent?: string | null }, via: 'bearer' | 'cookie', options: SessionOptions = { method: 'password' }): Promise<IssuedSession> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3_600_000);
    const pendingTwoFactor = options.pendingTwoFactor ?? false;
    const session = await this.dataSource.transaction(async (manager) => {
      const created = await this.sessions.insert(manager, {
        userId: user.id,
        tokenHash: hashToken(token),
        expiresAt,
        ip: meta.ip ?? null,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        method: options.method,
        pendingTwoFactor,
        idToken: options.idToken ?? null,
      });
      await this.users.update(manager, user.id, { lastLoginAt: new Date(), lastLoginMethod: options.method });
      await this.audit.record(manager, { userId: user.id, role: user.role, label: user.email, ip: meta.ip, requestId: meta.requestId }, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        change: { via, method: options.method, ...(pendingTwoFactor ? { pendingTwoFactor } : {}) },
      });
      return created;
    });
    return { token, expiresAt, user: toAuthenticated(user, session.id, via, pendingTwoFactor) };
  }

  /**
   * Resolves a bearer token or session cookie to its user, or null when unknown, expired, revoked, idle
   * longer than SESSION_IDLE_MINUTES, of an inactive user or of a deactivated supplier. Use moves the
   * session's last use forward, written at most once a minute.
   */
  async authenticate(token: string, via: 'bearer' | 'cookie'): Promise<AuthenticatedUser | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const live = await this.sessions.live(this.dataSource.manager, hashToken(token), this.config.sessionIdleMinutes);
    if (!live) return null;
    if (live.stale) await this.sessions.touch(this.dataSource.manager, live.sessionId);
    return toAuthenticated(live.user, live.sessionId, via, live.pendingTwoFactor);
  }

  /** Ends the session; answers its ID token when it was an OpenID Connect sign-in (for the provider's sign-out). */
  async closeSession(user: AuthenticatedUser, actor: Actor): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const idToken = await this.sessions.idToken(manager, user.sessionId);
      await this.sessions.revoke(manager, user.sessionId);
      await this.audit.record(manager, actor, { action: 'auth.logout', entityType: 'user', entityId: user.id });
      return idToken;
    });
  }

  /** "Sign out everywhere": ends every open session of the user, this one included. */
  async closeAllSessions(user: AuthenticatedUser, actor: Actor): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const ended = await this.sessions.revokeAll(manager, user.id);
      await this.audit.record(manager, actor, { action: 'auth.logout_all', entityType: 'user', entityId: user.id, change: { sessions: ended } });
      return ended;
    });
  }

  /**
   * A supplier's OpenID Connect sign-in (MitID Erhverv through a broker): the subject maps to the user an admin
   * linked to it, or, the first time, to the supplier user an admin provisioned with the same e-mail whose
   * supplier has the CVR number the provider vouches for, which is then linked. The linked user's supplier must
   * still have that CVR number. Nothing is ever created; a refusal is audited with its reason.
   */
  async resolveSupplierSignIn(identity: { subject: string | null; cvr: string | null; email: string | null }, meta: SignInMeta): Promise<User> {
    const { subject, cvr, email } = identity;
    if (!subject || !cvr) return this.refuseFederated('oidc', 'claims_missing', identity, meta);
    const manager = this.dataSource.manager;
    let user = await this.users.findFederated(manager, 'oidc', subject);
    if (user) {
      if (user.role !== 'supplier' || !user.supplierId || (await this.supplierDirectory.cvrOf(user.supplierId)) !== cvr) return this.refuseFederated('oidc', 'cvr_mismatch', identity, meta, user.id);
    } else {
      const candidate = email ? await this.users.findByEmail(manager, email) : null;
      const fits = candidate?.active && candidate.role === 'supplier' && candidate.externalSubject === null && candidate.supplierId && (await this.supplierDirectory.cvrOf(candidate.supplierId)) === cvr;
      if (!candidate || !fits) return this.refuseFederated('oidc', 'unknown_subject', identity, meta, candidate?.id ?? null);
      await this.bind(candidate, 'oidc', subject, meta);
      user = candidate;
    }
    await this.assertSupplierOpen(user, meta);
    return user;
  }

  /**
   * A municipal employee's SAML sign-in: the NameID maps to the user linked to it, or, the first time, to the
   * staff user with the same e-mail (then linked). With SAML_ROLE_MAP the role comes from the groups the IdP
   * sends (first match wins; no match is refused) and an unknown employee is created just in time; without it
   * only provisioned users sign in, with the role an admin gave them. Supplier users never sign in this way.
   */
  async resolveStaffSignIn(identity: { subject: string | null; email: string | null; name: string | null; groups: readonly string[] }, meta: SignInMeta): Promise<User> {
    const saml = this.config.saml;
    const { subject, email } = identity;
    if (!saml || !subject) return this.refuseFederated('saml', 'claims_missing', identity, meta);
    const mapped = saml.roleMap.length > 0;
    const role = saml.roleMap.find((entry) => identity.groups.includes(entry.group))?.role ?? null;
    if (mapped && !role) return this.refuseFederated('saml', 'no_mapped_group', identity, meta);
    const manager = this.dataSource.manager;
    let user = await this.users.findFederated(manager, 'saml', subject);
    if (!user) {
      const candidate = email ? await this.users.findByEmail(manager, email) : null;
      if (candidate?.active && candidate.role !== 'supplier' && candidate.externalSubject === null) {
        await this.bind(candidate, 'saml', subject, meta);
        user = candidate;
      } else if (!candidate && mapped && role && email) {
        user = await this.createStaff({ email, displayName: identity.name?.slice(0, 200) || email, role, subject }, meta);
      } else {
        return this.refuseFederated('saml', 'unknown_subject', identity, meta, candidate?.id ?? null);
      }
    }
    if (user.role === 'supplier') return this.refuseFederated('saml', 'supplier_user', identity, meta, user.id);
    if (role && user.role !== role) user = await this.changeRoleFromGroups(user, role, meta);
    return user;
  }

  private async refuseFederated(provider: 'oidc' | 'saml', reason: string, identity: { subject: string | null; email: string | null }, meta: SignInMeta, userId: string | null = null): Promise<never> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, { userId: null, role: 'anonymous', label: identity.email ?? `${provider}:${identity.subject ?? 'unknown'}`, ip: meta.ip, requestId: meta.requestId }, {
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: userId,
        change: { provider, reason, subject: identity.subject, email: identity.email },
      }),
    );
    throw federatedRefused(meta.language);
  }

  /** Audits a federated sign-in refused before its identity is known (a forged, expired or replayed answer). */
  async recordFederatedFailure(provider: 'oidc' | 'saml', reason: string, meta: SignInMeta): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, { userId: null, role: 'anonymous', label: provider, ip: meta.ip, requestId: meta.requestId }, { action: 'auth.login_failed', entityType: 'user', entityId: null, change: { provider, reason } }),
    );
  }

  private async bind(user: User, provider: 'oidc' | 'saml', subject: string, meta: SignInMeta): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.users.bindFederated(manager, user.id, provider, subject))) throw federatedRefused(meta.language);
      await this.audit.record(manager, { userId: user.id, role: user.role, label: user.email, ip: meta.ip, requestId: meta.requestId }, {
        action: 'user.federated_linked',
        entityType: 'user',
        entityId: user.id,
        change: { provider, subject },
      });
    });
    user.externalProvider = provider;
    user.externalSubject = subject;
  }

  private async createStaff(values: { email: string; displayName: string; role: Role; subject: string }, meta: SignInMeta): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.insert(manager, { email: values.email, displayName: values.displayName, role: values.role, supplierId: null, passwordHash: null, language: 'da', active: true, externalProvider: 'saml', externalSubject: values.subject });
      await this.audit.record(manager, { userId: null, role: 'system', label: 'system:saml', ip: meta.ip, requestId: meta.requestId }, {
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        change: { email: user.email, displayName: user.displayName, role: user.role, supplierId: null, via: 'saml' },
      });
      return user;
    });
  }

  /** The IdP's groups decide the role: a change is saved, audited, and the user's other sessions end. */
  private async changeRoleFromGroups(user: User, role: Role, meta: SignInMeta): Promise<User> {
    await this.dataSource.transaction(async (manager) => {
      await this.users.update(manager, user.id, { role });
      await this.sessions.revokeAll(manager, user.id);
      await this.audit.record(manager, { userId: null, role: 'system', label: 'system:saml', ip: meta.ip, requestId: meta.requestId }, {
        action: 'user.updated',
        entityType: 'user',
        entityId: user.id,
        change: { role: { from: user.role, to: role }, via: 'saml_groups' },
      });
    });
    return { ...user, role };
  }

  /** A supplier user of a deactivated supplier is told so, as at a password sign-in. */
  private async assertSupplierOpen(user: User, meta: SignInMeta): Promise<void> {
    const candidate = await this.users.signInCandidate(this.dataSource.manager, user.email);
    if (user.supplierId !== null && candidate?.supplierActive !== true) {
      await this.recordFailure(user.email, user.id, 'supplier_inactive', meta);
      throw supplierInactive(meta.language);
    }
  }

  /**
   * The pages' sign-in between password and code: the user and where to go after, signed and valid five
   * minutes, kept in a cookie of the sign-in page. Nothing is stored; the code itself is used once.
   */
  loginChallenge(userId: string, next: string): string {
    const body = `${userId}.${Date.now() + 5 * 60_000}.${Buffer.from(next).toString('base64url')}`;
    return `${body}.${createHmac('sha256', this.config.sessionSecret).update(`login-code:${body}`).digest('base64url')}`;
  }

  readLoginChallenge(value: unknown): { userId: string; next: string } | null {
    if (typeof value !== 'string' || value.length > 400) return null;
    const at = value.lastIndexOf('.');
    const body = value.slice(0, at);
    const expected = Buffer.from(createHmac('sha256', this.config.sessionSecret).update(`login-code:${body}`).digest('base64url'));
    const given = Buffer.from(value.slice(at + 1));
    if (at < 0 || expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const [userId, expires, next] = body.split('.');
    if (!(Number(expires) > Date.now())) return null;
    return { userId, next: Buffer.from(next ?? '', 'base64url').toString('utf8') };
  }

  /** The user behind a sign-in challenge, with the supplier's state, as a password sign-in sees it. */
  async challengedUser(userId: string): Promise<User | null> {
    const user = await this.users.findById(this.dataSource.manager, userId);
    return user?.active ? user : null;
  }

  /** CSRF token of a cookie session: an HMAC of the session id, so nothing more is stored. */
  csrfTokenFor(sessionId: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(`csrf:${sessionId}`).digest('base64url');
  }

  csrfTokenValid(sessionId: string, given: string | undefined): boolean {
    if (!given) return false;
    const expected = Buffer.from(this.csrfTokenFor(sessionId));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

function toAuthenticated(user: User, sessionId: string, via: 'bearer' | 'cookie', pendingTwoFactor = false): AuthenticatedUser {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, supplierId: user.supplierId, language: user.language, sessionId, via, pendingTwoFactor, pendingPasswordChange: user.mustChangePassword === true };
}
