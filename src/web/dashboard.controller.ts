import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import type { Role } from '../common/actor';
import { Page } from '../common/web/page.decorator';
import { UsersService } from '../identity/users.service';

interface Panel {
  title: string;
  empty: string;
  columns: string[];
  /** A cell is text, or a message key to translate. */
  rows: Array<Array<string | { key: string }>>;
}

/** The panels of each role's dashboard; later capabilities fill the empty ones. */
const PANELS: Record<Role, string[]> = {
  admin: ['panel.users', 'panel.recent_audit'],
  procurement: ['panel.agreements_expiring', 'panel.ceiling_use'],
  caseworker: ['panel.due_tasks'],
  finance: ['panel.invoices_to_approve', 'panel.month_close'],
  supplier: ['panel.my_grants', 'panel.my_invoices'],
};

@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @Page('pages/dashboard')
  async dashboard(@CurrentUser() user: AuthenticatedUser): Promise<{ title: string; panels: Panel[] }> {
    const panels = await Promise.all(PANELS[user.role].map((title) => this.panel(title)));
    return { title: 'dashboard.heading', panels };
  }

  private async panel(title: string): Promise<Panel> {
    const empty = 'panel.empty';
    if (title === 'panel.recent_audit') {
      const entries = await this.audit.list({ limit: 8 });
      return { title, empty, columns: ['column.when', 'column.who', 'column.action'], rows: entries.map((e) => [formatTime(e.occurredAt), e.actorLabel ?? '', e.action]) };
    }
    if (title === 'panel.users') {
      const counts = new Map<string, number>();
      for (const user of await this.users.list()) counts.set(user.role, (counts.get(user.role) ?? 0) + 1);
      return { title, empty, columns: ['column.role', 'column.count'], rows: [...counts].map(([role, count]) => [{ key: `role.${role}` }, String(count)]) };
    }
    return { title, empty, columns: [], rows: [] };
  }
}

export function formatTime(date: Date): string {
  return date.toLocaleString('sv-SE', { timeZone: 'Europe/Copenhagen' }).slice(0, 16);
}
