import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthSession } from './auth-session.entity';
import { User } from './user.entity';

/** A live session's user, and whether its last use is more than a minute old. */
export interface LiveSession {
  user: User;
  sessionId: string;
  stale: boolean;
}

/** Every query on auth_session. */
@Injectable()
export class SessionStore {
  insert(manager: EntityManager, values: Pick<AuthSession, 'userId' | 'tokenHash' | 'expiresAt' | 'ip' | 'userAgent'>): Promise<AuthSession> {
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
      .where('s.token_hash = :hash', { hash: tokenHash })
      .andWhere('s.revoked_at IS NULL AND s.expires_at > now() AND u.active')
      .andWhere('s.last_seen_at > now() - make_interval(mins => :idle)', { idle: idleMinutes })
      .andWhere('closed.supplier_id IS NULL')
      .getRawAndEntities();
    const user = row.entities[0];
    if (!user) return null;
    const { session_id: sessionId, stale } = row.raw[0] as { session_id: string; stale: boolean };
    return { user, sessionId, stale };
  }

  /** Moves the session's last use to now. */
  async touch(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.getRepository(AuthSession).update({ id: sessionId }, { lastSeenAt: () => 'now()' });
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
