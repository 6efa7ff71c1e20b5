import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NotificationPayloads, NotificationType } from '../common/notifications/notification-events';
import { Clock } from '../common/time/clock';
import type { Language } from '../common/web/page-context';
import { GrantsService } from '../grants/grants.service';
import type { User } from '../identity/user.entity';
import { UsersService } from '../identity/users.service';
import { DelegationStore } from './delegation.store';
import { EVENT_CATALOGUE } from './notification-catalogue';
import type { RecipientSide } from './notification-templates';

/** One user to tell: where to write, in which language, and for whom when the user is a deputy. */
export interface Recipient {
  userId: string;
  email: string;
  name: string;
  language: Language;
  side: RecipientSide;
  onBehalfOf: { userId: string; name: string } | null;
}

/**
 * Who is told of an event: the catalogue names the audience (a supplier's users, a grant's caseworker, a staff
 * role); the identity module's users service answers who that is now (active users only). A user who has named
 * a deputy for today is told through the deputy. An audience that resolves to nobody (an unknown supplier, a
 * role no one has yet) tells nobody.
 */
@Injectable()
export class RecipientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly grants: GrantsService,
    private readonly delegations: DelegationStore,
    private readonly clock: Clock,
  ) {}

  async resolve<T extends NotificationType>(type: T, payload: NotificationPayloads[T]): Promise<Recipient[]> {
    const direct = await this.audience(type, payload as Record<string, unknown>);
    return this.throughDeputies(direct);
  }

  private async audience(type: NotificationType, payload: Record<string, unknown>): Promise<User[]> {
    const audience = EVENT_CATALOGUE[type].audience;
    switch (audience.kind) {
      case 'supplier':
        return this.supplierUsers(payload.supplierId);
      case 'caseworker':
        return this.caseworkerOf(payload.grantId);
      case 'role':
        return this.users.recipients({ roles: [audience.role] });
      case 'grant_side':
        return payload.to === 'supplier' ? this.supplierUsers(payload.supplierId) : this.caseworkerOf(payload.grantId);
    }
  }

  private supplierUsers(supplierId: unknown): Promise<User[]> {
    return typeof supplierId === 'string' ? this.users.recipients({ supplierIds: [supplierId] }) : Promise.resolve([]);
  }

  /** The caseworker who granted the grant; every caseworker when that user is gone or no longer a caseworker. */
  private async caseworkerOf(grantId: unknown): Promise<User[]> {
    if (typeof grantId !== 'string') return [];
    const owner = (await this.grants.caseworkersOf([grantId])).get(grantId);
    if (owner === undefined) return [];
    const found = owner === null ? [] : (await this.users.recipients({ ids: [owner] })).filter((user) => user.role === 'caseworker');
    return found.length > 0 ? found : this.users.recipients({ roles: ['caseworker'] });
  }

  private async throughDeputies(users: User[]): Promise<Recipient[]> {
    const deputyOf = await this.delegations.deputiesOn(this.dataSource.manager, users.map((user) => user.id), this.clock.today());
    const deputies = deputyOf.size === 0 ? [] : await this.users.recipients({ ids: [...new Set(deputyOf.values())] });
    const deputyById = new Map(deputies.map((user) => [user.id, user]));
    const out = new Map<string, Recipient>();
    for (const user of users) out.set(user.id, recipient(user, null));
    for (const user of users) {
      const deputy = deputyById.get(deputyOf.get(user.id) ?? '');
      if (!deputy) continue;
      // The principal is away: the deputy is told instead, unless the deputy is told in their own right.
      out.delete(user.id);
      if (!out.has(deputy.id)) out.set(deputy.id, recipient(deputy, { userId: user.id, name: user.displayName }));
    }
    return [...out.values()];
  }
}

function recipient(user: User, onBehalfOf: Recipient['onBehalfOf']): Recipient {
  return { userId: user.id, email: user.email, name: user.displayName, language: user.language, side: user.role === 'supplier' ? 'supplier' : 'staff', onBehalfOf };
}
