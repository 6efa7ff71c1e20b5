import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';

/** What an OpenID Connect sign-in left to check its answer by: the state, the nonce, the PKCE verifier, and where to go after. */
export interface PendingOidcRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

export const FEDERATED_REQUEST_SQL = sqlQueries('identity/federated-request.store', {
  insert: `
    INSERT INTO federated_request (id, provider, state, nonce, code_verifier, next, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
  // Used once: the first callback takes it, any other finds nothing.
  consumeOidc: `
    UPDATE federated_request SET consumed_at = now()
     WHERE id = $1 AND provider = 'oidc' AND consumed_at IS NULL AND expires_at > now()
    RETURNING state, nonce, code_verifier, next`,
  // A SAML request id is looked up while the response is checked, and taken once it is accepted.
  samlRequestCreatedAt: `SELECT created_at FROM federated_request WHERE id = $1 AND provider = 'saml' AND consumed_at IS NULL AND expires_at > now()`,
  samlRequestState: `SELECT CASE WHEN consumed_at IS NOT NULL THEN 'consumed' WHEN expires_at <= now() THEN 'expired' ELSE 'open' END AS state FROM federated_request WHERE id = $1 AND provider = 'saml'`,
  consumeSaml: `UPDATE federated_request SET consumed_at = now() WHERE id = $1 AND provider = 'saml' AND consumed_at IS NULL AND expires_at > now()`,
  // An assertion id is recorded until the assertion expires; a second use of it is a replay.
  recordAssertion: `INSERT INTO saml_assertion_seen (assertion_id, expires_at) VALUES ($1, $2) ON CONFLICT (assertion_id) DO NOTHING RETURNING assertion_id`,
  pruneRequests: `DELETE FROM federated_request WHERE expires_at < now() - interval '1 day'`,
  pruneAssertions: `DELETE FROM saml_assertion_seen WHERE expires_at < now() - interval '1 day'`,
});

const Q = FEDERATED_REQUEST_SQL;

/** Every query on federated_request and saml_assertion_seen. */
@Injectable()
export class FederatedRequestStore {
  async insertOidc(manager: EntityManager, id: string, request: PendingOidcRequest, lifetimeSeconds: number): Promise<void> {
    await manager.query(Q.insert, [id, 'oidc', request.state, request.nonce, request.codeVerifier, request.next, lifetimeSeconds]);
  }

  async insertSaml(manager: EntityManager, id: string, lifetimeSeconds: number): Promise<void> {
    await manager.query(Q.insert, [id, 'saml', null, null, null, '/', lifetimeSeconds]);
  }

  async consumeOidc(manager: EntityManager, id: string): Promise<PendingOidcRequest | null> {
    const [rows] = (await manager.query(Q.consumeOidc, [id])) as [Array<{ state: string; nonce: string; code_verifier: string; next: string }>, number];
    const row = rows[0];
    return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, next: row.next } : null;
  }

  async samlRequestCreatedAt(manager: EntityManager, id: string): Promise<Date | null> {
    const [row] = (await manager.query(Q.samlRequestCreatedAt, [id])) as Array<{ created_at: Date }>;
    return row?.created_at ?? null;
  }

  async samlRequestState(manager: EntityManager, id: string): Promise<'open' | 'consumed' | 'expired' | null> {
    const [row] = (await manager.query(Q.samlRequestState, [id])) as Array<{ state: 'open' | 'consumed' | 'expired' }>;
    return row?.state ?? null;
  }

  async consumeSaml(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.consumeSaml, [id])) as [unknown, number];
    return affected === 1;
  }

  /** Records an assertion id; false when it was seen before (a replay). */
  async recordAssertion(manager: EntityManager, assertionId: string, expiresAt: Date): Promise<boolean> {
    return ((await manager.query(Q.recordAssertion, [assertionId, expiresAt])) as unknown[]).length === 1;
  }

  async prune(manager: EntityManager): Promise<void> {
    await manager.query(Q.pruneRequests);
    await manager.query(Q.pruneAssertions);
  }
}
