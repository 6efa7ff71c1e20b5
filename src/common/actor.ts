export const ROLES = ['admin', 'procurement', 'caseworker', 'team_leader', 'finance', 'supplier'] as const;
export type Role = (typeof ROLES)[number];

/** Who performs an action: a signed-in user, or the system itself (jobs, seed). */
export interface Actor {
  readonly userId: string | null;
  readonly role: Role | 'system' | 'anonymous' | 'service';
  /** A label for the audit log: the user's e-mail, `service:<service account>`, or e.g. `system:seed`. */
  readonly label: string;
  readonly ip?: string | null;
  readonly requestId?: string | null;
  /** The user a deputy acts for, during a delegation: the audit log names both. */
  readonly onBehalfOf?: { readonly userId: string; readonly label: string } | null;
}

export const systemActor = (label: string): Actor => ({ userId: null, role: 'system', label: `system:${label}` });
