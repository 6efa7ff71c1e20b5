import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '../common/errors/domain.exception';
import { Public, Roles } from '../common/auth/auth.decorators';
import { roleAllowed, RolesGuard } from './roles.guard';

class Routes {
  @Roles('finance')
  approve(): void {}

  @Roles('procurement', 'admin')
  register(): void {}

  open(): void {}

  @Public()
  health(): void {}
}

function contextFor(handler: keyof Routes, user?: { role: string }): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('roleAllowed', () => {
  it('allows any role when none are required', () => {
    expect(roleAllowed(undefined, 'supplier')).toBe(true);
    expect(roleAllowed([], 'supplier')).toBe(true);
  });
  it('allows only listed roles', () => {
    expect(roleAllowed(['finance'], 'finance')).toBe(true);
    expect(roleAllowed(['finance'], 'admin')).toBe(false);
  });
});

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());

  it('lets a listed role through', () => {
    expect(guard.canActivate(contextFor('approve', { role: 'finance' }))).toBe(true);
    expect(guard.canActivate(contextFor('register', { role: 'admin' }))).toBe(true);
  });

  it('answers a wrong role with a forbidden domain error naming the roles', () => {
    expect(() => guard.canActivate(contextFor('approve', { role: 'supplier' }))).toThrow(DomainException);
    expect(() => guard.canActivate(contextFor('register', { role: 'caseworker' }))).toThrow('This action needs the role procurement or admin');
  });

  it('lets any signed-in role call a route without @Roles', () => {
    expect(guard.canActivate(contextFor('open', { role: 'supplier' }))).toBe(true);
  });

  it('refuses when nobody is signed in, except on public routes', () => {
    expect(guard.canActivate(contextFor('open'))).toBe(false);
    expect(guard.canActivate(contextFor('health'))).toBe(true);
  });
});
