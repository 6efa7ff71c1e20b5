import type { Actor, Role } from '../actor';
import type { ApiScope } from './api-scopes';

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
  /** A password sign-in of a role that needs a second factor, before one is set up: only the set-up is open. */
  readonly pendingTwoFactor?: boolean;
  /** An administrator chose the password: only the password change (and signing out) is open until the user chooses one. */
  readonly pendingPasswordChange?: boolean;
}

/** An integration calling with an API token: it acts only through the scopes its service account holds. */
export interface ServicePrincipal {
  readonly kind: 'service';
  readonly serviceAccountId: string;
  readonly name: string;
  readonly tokenId: string;
  readonly scopes: readonly ApiScope[];
}

/** Whoever a request proved to be: a person signed in, or a service account's token. */
export type Principal = AuthenticatedUser | ServicePrincipal;

export function isServicePrincipal(principal: unknown): principal is ServicePrincipal {
  return typeof principal === 'object' && principal !== null && (principal as { kind?: unknown }).kind === 'service';
}

export function serviceActor(principal: ServicePrincipal, meta: RequestMeta = {}): Actor {
  return { userId: null, role: 'service', label: `service:${principal.name}`, ip: meta.ip ?? null, requestId: meta.requestId ?? null };
}

export interface RequestMeta {
  ip?: string | null;
  requestId?: string | null;
  onBehalfOf?: { userId: string; label: string } | null;
}

export function actorOf(user: AuthenticatedUser, meta: RequestMeta = {}): Actor {
  return { userId: user.id, role: user.role, label: user.email, ip: meta.ip ?? null, requestId: meta.requestId ?? null, onBehalfOf: meta.onBehalfOf ?? null };
}
