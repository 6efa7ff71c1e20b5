import type { Role } from '../actor';
import type { ErrorDetail } from '../errors/domain.exception';

/**
 * Who may move an aggregate: a user's role, the system (a worker doing what a user queued), or a service
 * account (an integration's API token), which moves nothing a table does not name it for.
 */
export type TransitionRole = Role | 'system' | 'service';

export interface Transition<S extends string> {
  from: S;
  to: S;
  roles: readonly TransitionRole[];
}

/**
 * Why `role` may not move an aggregate from `from` to `to` under `table`, or null when it may. The rule is
 * `<aggregate>_transition` (no such transition) or `<aggregate>_transition_role` (not for this role); the
 * values name the states, so a 409 says where the aggregate is and where it was asked to go. Pure.
 */
export function transitionProblem<S extends string>(aggregate: string, table: readonly Transition<S>[], from: S, to: S, role: TransitionRole): ErrorDetail | null {
  const transition = table.find((t) => t.from === from && t.to === to);
  if (!transition) {
    const allowed = table.filter((t) => t.from === from).map((t) => t.to);
    return {
      field: 'status',
      rule: `${aggregate}_transition`,
      message: `a ${aggregate.replace(/_/g, ' ')} that is ${from} cannot become ${to}${allowed.length ? ` (from ${from} only ${allowed.join(' or ')})` : ` (${from} is final)`}`,
      values: { from, to },
    };
  }
  if (!transition.roles.includes(role)) {
    return { field: 'status', rule: `${aggregate}_transition_role`, message: `${role} may not move a ${aggregate.replace(/_/g, ' ')} from ${from} to ${to}`, values: { from, to, role } };
  }
  return null;
}
