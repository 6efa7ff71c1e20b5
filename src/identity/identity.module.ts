import { Module, type OnModuleInit } from '@nestjs/common';
import { registerPageUserResolver } from '../common/web/page-context';
import { SESSION_COOKIE } from './session.strategy';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthSession } from './auth-session.entity';
import { User } from './user.entity';
import { ApiTokenStore } from './api-token.store';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LocalStrategy } from './local.strategy';
import { LoginLimiter } from './login-limiter';
import { PasswordHasher } from './password';
import { RolesGuard } from './roles.guard';
import { SessionAuthGuard } from './session-auth.guard';
import { SessionStrategy } from './session.strategy';
import { FederatedRequestStore } from './federated-request.store';
import { FederatedSignInController } from './federated-sign-in.controller';
import { LoginPage } from './login-page';
import { OidcSignInService } from './oidc-sign-in.service';
import { SamlSignInService } from './saml-sign-in.service';
import { SignInAdminPagesController } from './sign-in-admin.pages.controller';
import { SupplierDirectory } from './supplier-directory';
import { TwoFactorPagesController } from './two-factor.pages.controller';
import { TwoFactorService } from './two-factor.service';
import { TwoFactorStore } from './two-factor.store';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { SessionStore } from './session.store';
import { UserStore } from './user.store';
import { SessionPagesController } from './session.pages.controller';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([User, AuthSession])],
  controllers: [AuthController, UsersController, ApiTokensController, SessionPagesController, TwoFactorPagesController, FederatedSignInController, SignInAdminPagesController],
  providers: [
    AuthService,
    UsersService,
    UserStore,
    SessionStore,
    ApiTokenStore,
    TwoFactorStore,
    SupplierDirectory,
    FederatedRequestStore,
    OidcSignInService,
    SamlSignInService,
    LoginPage,
    TwoFactorService,
    ApiTokensService,
    PasswordHasher,
    LoginLimiter,
    LocalStrategy,
    SessionStrategy,
    { provide: APP_GUARD, useClass: SessionAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuthService, UsersService, TwoFactorService, SupplierDirectory],
})
export class IdentityModule implements OnModuleInit {
  constructor(private readonly auth: AuthService) {}

  /** Error pages answered before any guard (a path no route has) still know who is signed in with the session cookie. */
  onModuleInit(): void {
    registerPageUserResolver(async (request) => {
      const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      const user = cookie ? await this.auth.authenticate(cookie, 'cookie') : null;
      if (user) request.csrfToken = this.auth.csrfTokenFor(user.sessionId);
      return user;
    });
  }
}
