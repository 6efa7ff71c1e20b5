import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto, UserDto } from './identity.dto';
import { TwoFactorService } from './two-factor.service';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403)
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'All users (admin)' })
  @ApiOkResponse({ type: [UserDto] })
  async list(): Promise<UserDto[]> {
    return (await this.users.list()).map((user) => UserDto.from(user));
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(404)
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  @Post()
  @ApiOperation({ summary: 'Create a user with an initial password (admin); the user must choose their own password at the first sign-in' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(409, 422)
  async create(@Body() body: CreateUserDto, @CurrentActor() actor: Actor): Promise<UserDto> {
    const user = await this.users.create({ ...body, supplierId: body.supplierId ?? null, password: body.password ?? null, language: body.language ?? 'da', mustChangePassword: true }, actor);
    return UserDto.from(await this.users.get(user.id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, role, supplier, language or active flag (admin); a role change or deactivation signs the user out' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(404, 422)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto, @CurrentActor() actor: Actor): Promise<UserDto> {
    await this.users.update(id, body, actor);
    return UserDto.from(await this.users.get(id));
  }

  @Post(':id/reset-password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password and end all the user’s sessions (admin)' })
  @ApiErrors(404, 422)
  async resetPassword(@Param('id', ParseUUIDPipe) id: string, @Body() body: ResetPasswordDto, @CurrentActor() actor: Actor): Promise<void> {
    await this.users.resetPassword(id, body.newPassword, actor);
  }

  @Post(':id/reset-two-factor')
  @HttpCode(204)
  @ApiOperation({ summary: "Turn a user's two-factor sign-in off (admin), e.g. for a lost phone; a role that needs it sets it up again at the next sign-in" })
  @ApiErrors(404)
  async resetTwoFactor(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.users.get(id);
    await this.twoFactor.reset(id, actor);
  }
}
