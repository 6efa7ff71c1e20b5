import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { AuthSession } from './auth-session.entity';
import { AuthenticatedUser, RequestMeta } from '../common/auth/authenticated-user';
import { burnPasswordCheck, verifyPassword } from './password';
import { User } from './user.entity';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: AuthenticatedUser;
}

export interface FederatedIdentity {
  provider: 'oidc' | 'saml';
  subject: string;
  email: string | null;
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
  ) {}

  /** Checks e-mail and password; a failure is audited and answered without saying which part was wrong. */
  async verifyCredentials(email: string, password: string, meta: RequestMeta): Promise<User> {
    const normalized = email.trim().toLowerCase();
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: normalized })
      .getOne();
    const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
    if (!user || !valid || !user.active) {
      await this.dataSource.transaction((manager) =>
        this.audit.record(manager, { userId: null, role: 'anonymous', label: normalized.slice(0, 200), ip: meta.ip, requestId: meta.requestId }, {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          change: { email: normalized.slice(0, 200), reason: !user ? 'unknown_email' : !user.active ? 'inactive' : 'wrong_password' },
        }),
      );
      throw new DomainException(DomainErrorCode.Unauthenticated, 'The e-mail or password is not correct');
    }
    return user;
  }

  /** Opens a session for a verified user: the token is shown once, only its hash is kept. */
  async openSession(user: User, meta: RequestMeta & { userAgent?: string | null }, via: 'bearer' | 'cookie'): Promise<IssuedSession> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3_600_000);
    const session = await this.dataSource.transaction(async (manager) => {
      const created = await manager.save(
        manager.create(AuthSession, { userId: user.id, tokenHash: hashToken(token), expiresAt, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null }),
      );
      await manager.update(User, { id: user.id }, { lastLoginAt: new Date() });
      await this.audit.record(manager, { userId: user.id, role: user.role, label: user.email, ip: meta.ip, requestId: meta.requestId }, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        change: { via },
      });
      return created;
    });
    return { token, expiresAt, user: toAuthenticated(user, session.id, via) };
  }

  /** Resolves a bearer token or session cookie to its user, or null when unknown, expired, revoked or inactive. */
  async authenticate(token: string, via: 'bearer' | 'cookie'): Promise<AuthenticatedUser | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const row = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(AuthSession, 's', 's.user_id = u.id')
      .addSelect('s.id', 'session_id')
      .where('s.token_hash = :hash', { hash: hashToken(token) })
      .andWhere('s.revoked_at IS NULL AND s.expires_at > now() AND u.active')
      .getRawAndEntities();
    const user = row.entities[0];
    if (!user) return null;
    return toAuthenticated(user, (row.raw[0] as { session_id: string }).session_id, via);
  }

  async closeSession(user: AuthenticatedUser, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(AuthSession, { id: user.sessionId }, { revokedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'auth.logout', entityType: 'user', entityId: user.id });
    });
  }

  /**
   * The seam for federated sign-in (OIDC for suppliers through MitID Erhverv,
   * SAML for municipal staff): a provider's strategy verifies the assertion and
   * hands the identity here; it maps only to a user an admin has provisioned.
   */
  async resolveFederated(identity: FederatedIdentity): Promise<User> {
    const users = this.dataSource.getRepository(User);
    const user = await users.findOne({ where: { externalProvider: identity.provider, externalSubject: identity.subject, active: true } });
    if (!user) throw new DomainException(DomainErrorCode.Unauthenticated, 'This sign-in is not linked to a user of the portal');
    return user;
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

function toAuthenticated(user: User, sessionId: string, via: 'bearer' | 'cookie'): AuthenticatedUser {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, supplierId: user.supplierId, language: user.language, sessionId, via };
}
