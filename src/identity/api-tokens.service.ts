import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { ApiScope } from '../common/auth/api-scopes';
import type { RequestMeta, ServicePrincipal } from '../common/auth/authenticated-user';
import { serviceActor } from '../common/auth/authenticated-user';
import { CommonErrorCode } from '../common/errors/common.errors';
import { DomainException } from '../common/errors/domain.exception';
import { ApiTokenStore, type ApiTokenRow, type ServiceAccountRow } from './api-token.store';
import { hashToken } from './auth.service';
import { serviceAccountInactive } from './identity.errors';

/** API tokens start with this, so a token is told from a session's at a glance (and in a leaked log line). */
export const API_TOKEN_PREFIX = 'mpt_';
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;

export interface ServiceAccountWithTokens extends ServiceAccountRow {
  tokens: ApiTokenRow[];
}

/** A token as issued: the secret is in this answer and nowhere else. */
export interface IssuedApiToken extends ApiTokenRow {
  token: string;
}

/** One call of a service account, as the audit log keeps it. */
export interface ServiceCall {
  method: string;
  /** The path without its query (a query may hold personal data). */
  path: string;
  /** The scope that opened the route, or null when none did (the call was refused). */
  scope: ApiScope | null;
}

/**
 * Service accounts for integrations (the case system, the finance system) and their API tokens: a token is
 * shown once, kept as its SHA-256, expires, records its last use, can be revoked; every call made with it is
 * audited under the service account, and so is every refused token.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: ApiTokenStore,
  ) {}

  async list(): Promise<ServiceAccountWithTokens[]> {
    const [accounts, tokens] = await Promise.all([this.store.accounts(this.dataSource.manager), this.store.tokens(this.dataSource.manager)]);
    return accounts.map((account) => ({ ...account, tokens: tokens.filter((token) => token.serviceAccountId === account.id) }));
  }

  async createAccount(command: { name: string; description: string; scopes: ApiScope[] }, actor: Actor): Promise<ServiceAccountRow> {
    const scopes = [...new Set(command.scopes)];
    try {
      return await this.dataSource.transaction(async (manager) => {
        const account = await this.store.insertAccount(manager, { ...command, scopes });
        await this.audit.record(manager, actor, { action: 'service_account.created', entityType: 'service_account', entityId: account.id, change: { name: account.name, scopes } });
        return account;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw DomainException.conflict('A service account with this name exists', [{ field: 'name', rule: CommonErrorCode.Unique, message: 'the name is already in use' }]);
      }
      throw error;
    }
  }

  async updateAccount(id: string, command: { description?: string; scopes?: ApiScope[]; active?: boolean }, actor: Actor): Promise<ServiceAccountRow> {
    return this.dataSource.transaction(async (manager) => {
      const account = await this.store.account(manager, id, true);
      if (!account) throw DomainException.notFound('Service account');
      const before = { description: account.description, scopes: account.scopes, active: account.active };
      const after = { description: command.description ?? before.description, scopes: command.scopes ? [...new Set(command.scopes)] : before.scopes, active: command.active ?? before.active };
      await this.store.updateAccount(manager, id, after);
      await this.audit.record(manager, actor, { action: 'service_account.updated', entityType: 'service_account', entityId: id, change: diff(before, after) });
      return { ...account, ...after };
    });
  }

  /** A new token for the account, valid `validDays` days: the answer is the only place the token is shown. */
  async issue(serviceAccountId: string, validDays: number, actor: Actor): Promise<IssuedApiToken> {
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + validDays * 86_400_000);
    return this.dataSource.transaction(async (manager) => {
      const account = await this.store.account(manager, serviceAccountId, true);
      if (!account) throw DomainException.notFound('Service account');
      if (!account.active) throw serviceAccountInactive();
      const row = await this.store.insertToken(manager, { serviceAccountId, tokenHash: hashToken(token), hint: token.slice(0, 8), expiresAt });
      await this.audit.record(manager, actor, { action: 'api_token.issued', entityType: 'service_account', entityId: serviceAccountId, change: { tokenId: row.id, hint: row.hint, expiresAt: expiresAt.toISOString() } });
      return { ...row, token };
    });
  }

  /** Revokes a token; revoking it again answers it as it is. */
  async revoke(id: string, actor: Actor): Promise<ApiTokenRow> {
    return this.dataSource.transaction(async (manager) => {
      const found = await this.store.token(manager, id);
      if (!found) throw DomainException.notFound('API token');
      if (await this.store.revoke(manager, id)) {
        await this.audit.record(manager, actor, { action: 'api_token.revoked', entityType: 'service_account', entityId: found.serviceAccountId, change: { tokenId: id, hint: found.hint } });
      }
      return (await this.store.token(manager, id))!;
    });
  }

  /**
   * The service account behind an API token, or null when the token is unknown, revoked, expired or its account
   * deactivated; such a token is audited with its reason. Use moves its last use forward, at most once a minute.
   */
  async authenticate(token: string, meta: RequestMeta): Promise<ServicePrincipal | null> {
    const manager = this.dataSource.manager;
    const hash = hashToken(token);
    const live = token.length <= 100 ? await this.store.live(manager, hash) : null;
    if (!live) {
      const refused = token.length <= 100 ? await this.store.refusedState(manager, hash) : null;
      await this.dataSource.transaction((tx) =>
        this.audit.record(tx, { userId: null, role: refused ? 'service' : 'anonymous', label: refused ? `service:${refused.name}` : 'api-token', ip: meta.ip, requestId: meta.requestId }, {
          action: 'api_token.refused',
          entityType: 'service_account',
          entityId: refused?.accountId ?? null,
          change: refused ? { tokenId: refused.tokenId, reason: refused.reason } : { reason: 'unknown', hint: token.slice(0, 8) },
        }),
      );
      return null;
    }
    if (live.stale) await this.store.touch(manager, live.tokenId);
    return { kind: 'service', serviceAccountId: live.account.id, name: live.account.name, tokenId: live.tokenId, scopes: live.account.scopes };
  }

  /** Every call of a service account is audited under it, allowed or not, before the route runs. */
  async recordCall(principal: ServicePrincipal, call: ServiceCall, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, serviceActor(principal, meta), {
        action: call.scope ? 'api_token.call' : 'api_token.call_refused',
        entityType: 'service_account',
        entityId: principal.serviceAccountId,
        change: { tokenId: principal.tokenId, method: call.method, path: call.path.slice(0, 300), scope: call.scope },
      }),
    );
  }
}
