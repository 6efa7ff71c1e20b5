import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** How a sign-in was made. */
export type SignInMethod = 'password' | 'password_totp' | 'oidc' | 'saml';

/** A sign-in: the bearer token of the API and the cookie of the pages are both one of these. */
@Entity('auth_session')
export class AuthSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** SHA-256 of the token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** When the session was last used, to the minute: an idle session ends (SESSION_IDLE_MINUTES). */
  @Column({ name: 'last_seen_at', type: 'timestamptz', insert: false })
  lastSeenAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'text' })
  method: SignInMethod;

  /** A password sign-in of a role that needs a second factor, before one is set up: only the set-up is open. */
  @Column({ name: 'pending_two_factor', type: 'boolean' })
  pendingTwoFactor: boolean;

  /** The ID token of an OpenID Connect sign-in: the provider's end-session call names it. */
  @Column({ name: 'id_token', type: 'text', nullable: true, select: false })
  idToken: string | null;
}
