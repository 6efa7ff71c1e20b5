import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, CurrentUser, Public } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import type { Actor } from '../common/actor';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponseDto, SessionUserDto } from './identity.dto';
import { LoginBodyGuard } from './login-body.guard';
import { apiLanguage } from '../common/web/page-context';
import { UsersService } from './users.service';
import type { User } from './user.entity';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginBodyGuard, AuthGuard('local'))
  @ApiOperation({
    summary: 'Sign in with e-mail and password; returns a bearer token',
    description:
      'Failed sign-ins are counted per client address and e-mail, per client address and in all (429 with Retry-After when a budget is spent); ' +
      'a server that is checking as many passwords as it may answers 503 with Retry-After. A user of a deactivated supplier gets 403.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(401, 403, 422, 429, 503)
  async login(@Req() request: Request, @Body() _body: LoginDto): Promise<LoginResponseDto> {
    const session = await this.auth.openSession(request.user as User, { ip: request.ip, requestId: String(request.id ?? ''), userAgent: request.header('user-agent') }, 'bearer');
    const { id, email, displayName, role, supplierId, language } = session.user;
    return { accessToken: session.token, tokenType: 'Bearer', expiresAt: session.expiresAt.toISOString(), user: { id, email, displayName, role, supplierId, language } };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: SessionUserDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthenticatedUser): SessionUserDto {
    const { id, email, displayName, role, supplierId, language } = user;
    return { id, email, displayName, role, supplierId, language };
  }

  @Post('logout')
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

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Changes the signed-in user\'s own password; the current one is required, the other sessions end' })
  @ApiErrors(401, 422, 429, 503)
  async changePassword(@Req() request: Request, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    await this.users.changeOwnPassword(user, body.currentPassword, body.newPassword, actor, apiLanguage(request));
  }
}
