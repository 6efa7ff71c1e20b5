import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, CurrentUser, PasswordChangeOpen, Public, TwoFactorSetup } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import type { Actor } from '../common/actor';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AuthService, type PasswordSignIn } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponseDto, RecoveryCodesDto, SessionUserDto, TwoFactorCodeDto, TwoFactorSetupDto, TwoFactorStatusDto } from './identity.dto';
import { LoginBodyGuard } from './login-body.guard';
import { apiLanguage } from '../common/web/page-context';
import { TwoFactorService } from './two-factor.service';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginBodyGuard, AuthGuard('local'))
  @ApiOperation({
    summary: 'Sign in with e-mail and password; returns a bearer token',
    description:
      'Failed sign-ins are counted per client address and e-mail, per client address and in all (429 with Retry-After when a budget is spent); ' +
      'a server that is checking as many passwords as it may answers 503 with Retry-After. A user of a deactivated supplier gets 403. ' +
      'An account with two-factor on sends its code as otp (401 with rule two_factor_required without it, two_factor_code when it is wrong); ' +
      'an account whose role needs two-factor and has none gets a token that opens only the set-up (twoFactorSetupRequired).',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(401, 403, 422, 429, 503)
  async login(@Req() request: Request, @Body() _body: LoginDto): Promise<LoginResponseDto> {
    const signIn = request.user as PasswordSignIn;
    const session = await this.auth.openSession(signIn.user, { ip: request.ip, requestId: String(request.id ?? ''), userAgent: request.header('user-agent') }, 'bearer', {
      method: signIn.method,
      pendingTwoFactor: signIn.pendingTwoFactor,
    });
    const { id, email, displayName, role, supplierId, language } = session.user;
    return {
      accessToken: session.token,
      tokenType: 'Bearer',
      expiresAt: session.expiresAt.toISOString(),
      user: { id, email, displayName, role, supplierId, language },
      twoFactorSetupRequired: signIn.pendingTwoFactor,
    };
  }

  @PasswordChangeOpen()
  @Get('me')
  @TwoFactorSetup()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: SessionUserDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthenticatedUser): SessionUserDto {
    const { id, email, displayName, role, supplierId, language } = user;
    return { id, email, displayName, role, supplierId, language };
  }

  @PasswordChangeOpen()
  @Post('logout')
  @TwoFactorSetup()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Ends the session of the token (or cookie) used' })
  @ApiErrors(401)
  async logout(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    await this.auth.closeSession(user, actor);
  }

  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out everywhere: ends every session of the signed-in user, this one included' })
  @ApiErrors(401)
  async logoutAll(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    await this.auth.closeAllSessions(user, actor);
  }

  @PasswordChangeOpen()
  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Changes the signed-in user\'s own password; the current one is required, the other sessions end' })
  @ApiErrors(401, 422, 429, 503)
  async changePassword(@Req() request: Request, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    await this.users.changeOwnPassword(user, body.currentPassword, body.newPassword, actor, apiLanguage(request));
  }

  @Get('two-factor')
  @TwoFactorSetup()
  @ApiBearerAuth()
  @ApiOperation({ summary: "The signed-in user's two-factor sign-in: on or off, required by the role, recovery codes left" })
  @ApiOkResponse({ type: TwoFactorStatusDto })
  @ApiErrors(401)
  twoFactorStatus(@CurrentUser() user: AuthenticatedUser): Promise<TwoFactorStatusDto> {
    return this.twoFactor.status(user.id, user.role);
  }

  @Post('two-factor')
  @TwoFactorSetup()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start setting up two-factor sign-in: a new TOTP secret for the authenticator app, confirmed with a code' })
  @ApiCreatedResponse({ type: TwoFactorSetupDto })
  @ApiErrors(401, 409)
  beginTwoFactor(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<TwoFactorSetupDto> {
    return this.twoFactor.begin(user, actor);
  }

  @Post('two-factor/confirm')
  @HttpCode(200)
  @TwoFactorSetup()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Confirm the set-up with a code from the app: two-factor is on, the session opens the portal, and ten recovery codes are answered this once' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiErrors(401, 422)
  async confirmTwoFactor(@Req() request: Request, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: TwoFactorCodeDto): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.twoFactor.confirm(user.id, user.sessionId, body.code, actor, apiLanguage(request)) };
  }

  @Post('two-factor/recovery-codes')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Ten new recovery codes (the old ones stop working), given a code from the app; shown this once' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiErrors(401, 422)
  async renewRecoveryCodes(@Req() request: Request, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: TwoFactorCodeDto): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.twoFactor.renewRecoveryCodes(user.id, body.code, actor, apiLanguage(request)) };
  }
}
