import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import type { Principal } from '../common/auth/authenticated-user';

export const SESSION_COOKIE = 'mps_session';

/**
 * Reads the bearer token (API clients: a session's, or a service account's API token) or the session cookie
 * (pages) and resolves who it belongs to.
 */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, 'session') {
  constructor(
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
  ) {
    super();
  }

  async validate(request: Request): Promise<Principal | false> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (match?.[1].startsWith(API_TOKEN_PREFIX)) return (await this.apiTokens.authenticate(match[1], { ip: request.ip, requestId: String(request.id ?? '') || null })) ?? false;
      return match ? ((await this.auth.authenticate(match[1], 'bearer')) ?? false) : false;
    }
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    return cookie ? ((await this.auth.authenticate(cookie, 'cookie')) ?? false) : false;
  }
}
