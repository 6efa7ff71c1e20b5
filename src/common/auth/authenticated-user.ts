import type { Actor, Role } from '../actor';

/** The signed-in user as guards, scopes and controllers see it. */
export interface AuthenticatedUser {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly supplierId: string | null;
  readonly language: 'da' | 'en';
  readonly sessionId: string;
  /** How the request proved who it is: cookies need CSRF protection, bearer tokens do not. */
  readonly via: 'bearer' | 'cookie';
}

export interface RequestMeta {
  ip?: string | null;
  requestId?: string | null;
  onBehalfOf?: { userId: string; label: string } | null;
}

export function actorOf(user: AuthenticatedUser, meta: RequestMeta = {}): Actor {
  return { userId: user.id, role: user.role, label: user.email, ip: meta.ip ?? null, requestId: meta.requestId ?? null, onBehalfOf: meta.onBehalfOf ?? null };
}
