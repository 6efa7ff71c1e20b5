import type { AccessScope } from '../auth/access-scope';

/** One message of a grant's thread, as both sides read it: no CPR number and no citizen name (refused on writing). */
export interface GrantThreadMessage {
  id: string;
  kind: 'question' | 'answer' | 'no_show' | 'absence';
  from: 'caseworker' | 'supplier';
  author: string;
  sessionDate: string | null;
  body: string;
  createdAt: string;
  /** A no-show or absence reported more than one business day after the session. */
  reportedLate: boolean;
}

/**
 * The thread between a grant's caseworker and its supplier, for the grant pages: declared here and implemented
 * by the notifications module (which owns the messages), so the grants module shows it without importing it.
 */
export abstract class GrantThreads {
  /** The grant's messages, oldest first; a grant the scope cannot see is not found. */
  abstract thread(grantId: string, scope: AccessScope): Promise<GrantThreadMessage[]>;
}
