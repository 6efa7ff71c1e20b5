import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthSession } from './auth-session.entity';
import { User } from './user.entity';

/** A live session's user, and whether its last use is more than a minute old. */
export interface LiveSession {
  user: User;
  sessionId: string;
  stale: boolean;
  pendingTwoFactor: boolean;
}

/** Every query on auth_session. */
@Injectable()
export class SessionStore {
  insert(manager: EntityManager, values: Pick<AuthSession, 'userId' | 'tokenHash' | 'expiresAt' | 'ip' | 'userAgent' | 'method' | 'pendingTwoFactor' | 'idToken'>): Promise<AuthSession> {
    return manager.save(manager.create(AuthSession, values));
  }

  /**
   * The session with this token hash and its user, when it is neither expired, revoked nor idle longer than
   * `idleMinutes`, its user active and the user's supplier (if any) not closed (identity's own record, which
   * the suppliers module keeps as it deactivates and reactivates suppliers); else null.
   */
  async live(manager: EntityManager, tokenHash: string, idleMinutes: number): Promise<LiveSession | null> {
    const row = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(AuthSession, 's', 's.user_id = u.id')
      .leftJoin('supplier_access_closed', 'closed', 'closed.supplier_id = u.supplier_id')
      .addSelect('s.id', 'session_id')
      .addSelect("s.last_seen_at < now() - interval '1 minute'", 'stale')
      .addSelect('s.pending_two_factor', 'pending_two_factor')
      .where('s.token_hash = :hash', { hash: tokenHash })
      .andWhere('s.revoked_at IS NULL AND s.expires_at > now() AND u.active')
      .andWhere('s.last_seen_at > now() - make_interval(mins => :idle)', { idle: idleMinutes })
      .andWhere('closed.supplier_id IS NULL')
      .getRawAndEntities();
    const user = row.entities[0];
    if (!user) return null;
    const { session_id: sessionId, stale, pending_two_factor: pendingTwoFactor } = row.raw[0] as { session_id: string; stale: boolean; pending_two_factor: boolean };
    return { user, sessionId, stale, pendingTwoFactor };
  }

  /** Moves the session's last use to now. */
  async touch(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.getRepository(AuthSession).update({ id: sessionId }, { lastSeenAt: () => 'now()' });
  }

  /** The second factor is set up: the session opens the whole portal. */
  async completeTwoFactor(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(AuthSession, { id: sessionId }, { pendingTwoFactor: false });
  }

  /** The session's ID token (OpenID Connect sign-ins), for the provider's end-session call. */
  async idToken(manager: EntityManager, sessionId: string): Promise<string | null> {
    const row = await manager.getRepository(AuthSession).createQueryBuilder('s').addSelect('s.idToken').where('s.id = :sessionId', { sessionId }).getOne();
    return row?.idToken ?? null;
  }

  async revoke(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(AuthSession, { id: sessionId }, { revokedAt: new Date() });
  }

  /** Ends the user's open sessions, all or all but one; answers how many. */
  async revokeAll(manager: EntityManager, userId: string, exceptSessionId?: string): Promise<number> {
    const query = manager.createQueryBuilder().update(AuthSession).set({ revokedAt: () => 'now()' }).where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptSessionId) query.andWhere('id <> :exceptSessionId', { exceptSessionId });
    return (await query.execute()).affected ?? 0;
  }
}
