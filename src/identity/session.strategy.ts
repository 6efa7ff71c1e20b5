import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { AuthService } from './auth.service';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';

export const SESSION_COOKIE = 'mps_session';

/** Reads the bearer token (API clients) or the session cookie (pages) and resolves its user. */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, 'session') {
  constructor(private readonly auth: AuthService) {
    super();
  }

  async validate(request: Request): Promise<AuthenticatedUser | false> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      return match ? ((await this.auth.authenticate(match[1], 'bearer')) ?? false) : false;
    }
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    return cookie ? ((await this.auth.authenticate(cookie, 'cookie')) ?? false) : false;
  }
}
