import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isApiScope, type ApiScope } from '../common/auth/api-scopes';
import { sqlQueries } from '../common/database/sql-queries';

export interface ServiceAccountRow {
  id: string;
  name: string;
  description: string;
  scopes: ApiScope[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiTokenRow {
  id: string;
  serviceAccountId: string;
  /** The token's first characters, to tell tokens apart; the token itself is never stored. */
  hint: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A token that opens: its account, and whether its last use is more than a minute old. */
export interface LiveApiToken {
  tokenId: string;
  account: ServiceAccountRow;
  stale: boolean;
}

interface AccountRecord {
  id: string;
  name: string;
  description: string;
  scopes: string[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

interface TokenRecord {
  id: string;
  service_account_id: string;
  hint: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const ACCOUNT = `a.id, a.name, a.description, a.scopes, a.active, a.created_at, a.updated_at`;
const TOKEN = `t.id, t.service_account_id, t.hint, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`;

export const API_TOKEN_SQL = sqlQueries('identity/api-token.store', {
  accounts: `SELECT ${ACCOUNT} FROM service_account a ORDER BY a.name`,
  account: `SELECT ${ACCOUNT} FROM service_account a WHERE a.id = $1`,
  accountForUpdate: `SELECT ${ACCOUNT} FROM service_account a WHERE a.id = $1 FOR UPDATE`,
  insertAccount: `INSERT INTO service_account AS a (name, description, scopes) VALUES ($1, $2, $3) RETURNING ${ACCOUNT}`,
  updateAccount: `UPDATE service_account SET description = $2, scopes = $3, active = $4, updated_at = now() WHERE id = $1`,
  tokens: `SELECT ${TOKEN} FROM api_token t ORDER BY t.service_account_id, t.created_at DESC`,
  token: `SELECT ${TOKEN} FROM api_token t WHERE t.id = $1`,
  insertToken: `INSERT INTO api_token AS t (service_account_id, token_hash, hint, expires_at) VALUES ($1, $2, $3, $4) RETURNING ${TOKEN}`,
  // Only an open token is revoked: the affected-row count says whether this call did it.
  revoke: `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
  revokeAllOf: `UPDATE api_token SET revoked_at = now() WHERE service_account_id = $1 AND revoked_at IS NULL`,
  // The token opens while it is neither revoked nor expired and its account is active.
  live: `
    SELECT t.id AS token_id, t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' AS stale, ${ACCOUNT}
      FROM api_token t JOIN service_account a ON a.id = t.service_account_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND a.active`,
  // Why a known token does not open (for the audit log): its id, account and state.
  refusedState: `
    SELECT t.id AS token_id, a.id AS account_id, a.name, t.revoked_at IS NOT NULL AS revoked, t.expires_at <= now() AS expired, NOT a.active AS inactive
      FROM api_token t JOIN service_account a ON a.id = t.service_account_id
     WHERE t.token_hash = $1`,
  touch: `UPDATE api_token SET last_used_at = now() WHERE id = $1`,
});

const Q = API_TOKEN_SQL;

/** Every query on service_account and api_token. */
@Injectable()
export class ApiTokenStore {
  async accounts(manager: EntityManager): Promise<ServiceAccountRow[]> {
    return ((await manager.query(Q.accounts)) as AccountRecord[]).map(account);
  }

  async account(manager: EntityManager, id: string, lock = false): Promise<ServiceAccountRow | null> {
    const [row] = (await manager.query(lock ? Q.accountForUpdate : Q.account, [id])) as AccountRecord[];
    return row ? account(row) : null;
  }

  /** Inserts an account; a unique violation (the name) is the caller's to explain. */
  async insertAccount(manager: EntityManager, values: Pick<ServiceAccountRow, 'name' | 'description' | 'scopes'>): Promise<ServiceAccountRow> {
    const [row] = (await manager.query(Q.insertAccount, [values.name, values.description, values.scopes])) as AccountRecord[];
    return account(row);
  }

  async updateAccount(manager: EntityManager, id: string, values: Pick<ServiceAccountRow, 'description' | 'scopes' | 'active'>): Promise<void> {
    await manager.query(Q.updateAccount, [id, values.description, values.scopes, values.active]);
  }

  async tokens(manager: EntityManager): Promise<ApiTokenRow[]> {
    return ((await manager.query(Q.tokens)) as TokenRecord[]).map(token);
  }

  async token(manager: EntityManager, id: string): Promise<ApiTokenRow | null> {
    const [row] = (await manager.query(Q.token, [id])) as TokenRecord[];
    return row ? token(row) : null;
  }

  async insertToken(manager: EntityManager, values: { serviceAccountId: string; tokenHash: string; hint: string; expiresAt: Date }): Promise<ApiTokenRow> {
    const [row] = (await manager.query(Q.insertToken, [values.serviceAccountId, values.tokenHash, values.hint, values.expiresAt])) as TokenRecord[];
    return token(row);
  }

  /** Revokes an open token; false when it was revoked already (or is unknown). */
  async revoke(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.revoke, [id])) as [unknown, number];
    return affected === 1;
  }

  async revokeAllOf(manager: EntityManager, serviceAccountId: string): Promise<number> {
    const [, affected] = (await manager.query(Q.revokeAllOf, [serviceAccountId])) as [unknown, number];
    return affected;
  }

  async live(manager: EntityManager, tokenHash: string): Promise<LiveApiToken | null> {
    const [row] = (await manager.query(Q.live, [tokenHash])) as Array<AccountRecord & { token_id: string; stale: boolean }>;
    return row ? { tokenId: row.token_id, stale: row.stale, account: account(row) } : null;
  }

  async refusedState(manager: EntityManager, tokenHash: string): Promise<{ tokenId: string; accountId: string; name: string; reason: 'revoked' | 'expired' | 'account_inactive' } | null> {
    const [row] = (await manager.query(Q.refusedState, [tokenHash])) as Array<{ token_id: string; account_id: string; name: string; revoked: boolean; expired: boolean; inactive: boolean }>;
    if (!row) return null;
    return { tokenId: row.token_id, accountId: row.account_id, name: row.name, reason: row.revoked ? 'revoked' : row.expired ? 'expired' : 'account_inactive' };
  }

  async touch(manager: EntityManager, tokenId: string): Promise<void> {
    await manager.query(Q.touch, [tokenId]);
  }
}

function account(row: AccountRecord): ServiceAccountRow {
  return { id: row.id, name: row.name, description: row.description, scopes: row.scopes.filter(isApiScope), active: row.active, createdAt: row.created_at, updatedAt: row.updated_at };
}

function token(row: TokenRecord): ApiTokenRow {
  return { id: row.id, serviceAccountId: row.service_account_id, hint: row.hint, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}
