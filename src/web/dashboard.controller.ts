import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { loadCatalogues, minutesPhrase } from '../common/i18n/messages';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { BillingRunsService } from '../billing/billing-runs.service';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import type { Role } from '../common/actor';
import { formatHundredths, formatKroner } from '../common/web/format';
import { Page } from '../common/web/page.decorator';
import { GrantAmendmentsService } from '../grants/grant-amendments.service';
import { GrantsService } from '../grants/grants.service';
import { DueTasksService } from '../grants/due-tasks.service';
import { SilentGrantsService } from '../grants/silent-grants.service';
import { UsersService } from '../identity/users.service';
import { InvoicesService } from '../invoices/invoices.service';
import { AgreementsService } from '../suppliers/agreements.service';
import { AgreementTermService } from '../suppliers/agreement-term.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { ceilingUsePercent, ceilingUsePermille } from '../suppliers/ceiling.rules';
import { Clock } from '../common/time/clock';

/** A cell is text, a message key to translate, a link, or an amount (kept on one line). */
type Cell = string | { key: string } | { href: string; text: string } | { amount: string };

interface Panel {
  title: string;
  empty: string;
  columns: string[];
  rows: Cell[][];
  /** A page with the whole list, when the panel shows its first rows only. */
  more?: { href: string; text: string };
}

type PanelKey =
  | 'panel.users'
  | 'panel.recent_audit'
  | 'panel.agreements_expiring'
  | 'panel.ceiling_use'
  | 'panel.due_tasks'
  | 'panel.proposals'
  | 'panel.amendment_proposals'
  | 'panel.sent_back'
  | 'panel.invoices_to_approve'
  | 'panel.month_close'
  | 'panel.my_grants'
  | 'panel.my_invoices'
  | 'panel.silent_grants';

/** The panels of each role's dashboard. */
const PANELS: Record<Role, PanelKey[]> = {
  admin: ['panel.users', 'panel.recent_audit'],
  procurement: ['panel.agreements_expiring', 'panel.ceiling_use'],
  caseworker: ['panel.sent_back', 'panel.due_tasks', 'panel.silent_grants'],
  team_leader: ['panel.proposals', 'panel.amendment_proposals'],
  finance: ['panel.invoices_to_approve', 'panel.month_close'],
  supplier: ['panel.my_grants', 'panel.my_invoices'],
};

const PANEL_ROWS = 10;

@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly agreements: AgreementsService,
    private readonly agreementTerm: AgreementTermService,
    private readonly grants: GrantsService,
    private readonly amendments: GrantAmendmentsService,
    private readonly dueTasks: DueTasksService,
    private readonly invoices: InvoicesService,
    private readonly billingRuns: BillingRunsService,
    private readonly clock: Clock,
    private readonly silentGrants: SilentGrantsService,
    private readonly suppliers: SuppliersService,
  ) {}

  @Get()
  @Page('pages/dashboard')
  async dashboard(@CurrentUser() user: AuthenticatedUser, @Req() request: Request): Promise<{ title: string; panels: Panel[]; intro: string }> {
    const lang = pageContext(request).lang;
    const panels = await Promise.all(PANELS[user.role].map((key) => this.panel(key, user, lang)));
    // A partner company registers hours; a mentor supplier invoices: the welcome says which.
    const supplier = user.supplierId ? await this.suppliers.get(user.supplierId, AccessScope.unrestricted()) : null;
    return { title: 'dashboard.heading', panels, intro: supplier?.kind === 'partner_company' ? 'dashboard.intro.partner_company' : `dashboard.intro.${user.role}` };
  }

  private async panel(title: PanelKey, user: AuthenticatedUser, lang: Language): Promise<Panel> {
    // Durations as everywhere else: "1 t. 30 min.", by the one formatter and the catalogue's phrase.
    const duration = (minutes: number): string => minutesPhrase(this.catalogues, lang, minutes);
    const panel = (columns: string[], rows: Cell[][]): Panel => ({ title, empty: 'panel.empty', columns, rows: rows.slice(0, PANEL_ROWS) });
    const today = this.clock.today();
    switch (title) {
      case 'panel.recent_audit': {
        const entries = await this.audit.list({ limit: 8 });
        return panel(['column.when', 'column.who', 'column.action'], entries.map((e) => [formatTime(e.occurredAt), e.actorLabel ?? '', e.action]));
      }
      case 'panel.users': {
        const counts = new Map<string, number>();
        for (const u of await this.users.list()) counts.set(u.role, (counts.get(u.role) ?? 0) + 1);
        return panel(['column.role', 'column.count'], [...counts].map(([role, count]) => [{ key: `role.${role}` }, String(count)]));
      }
      case 'panel.agreements_expiring': {
        // The agreements that have reached a warning mark (90, 60 or 30 days before their last day), soonest first.
        const expiring = await this.agreementTerm.expiring(today);
        return panel(
          ['column.agreement', 'column.valid_to', 'column.days_left', 'column.expiry_mark', 'column.extensions_left'],
          expiring.map((a) => [{ href: `/procurement/agreements/${a.id}`, text: a.reference }, a.validTo, String(a.daysLeft), { key: `expiry_mark.${a.mark}` }, String(a.extensionsLeft)]),
        );
      }
      case 'panel.ceiling_use': {
        const framework = (await this.agreements.list({ kind: 'framework', activeOn: today }, AccessScope.unrestricted()))
          .map((a) => ({ a, percent: ceilingUsePercent(a.ceilingOre, a.consumedApprovedOre + a.consumedPendingOre), permille: ceilingUsePermille(a.ceilingOre, a.consumedApprovedOre + a.consumedPendingOre) }))
          .filter((row): row is { a: (typeof row)['a']; percent: number; permille: number } => row.percent !== null && row.permille !== null)
          .sort((x, y) => y.percent - x.percent);
        return panel(['column.agreement', 'column.ceiling_use'], framework.map(({ a, permille }) => [{ href: `/procurement/agreements/${a.id}`, text: a.reference }, `${formatHundredths(permille * 10)} %`]));
      }
      case 'panel.due_tasks': {
        const tasks = await this.dueTasks.openDueTasks(PANEL_ROWS);
        return {
          ...panel(['column.due', 'column.task', 'column.grant', 'column.citizen', 'column.state'], tasks.map((t) => [t.due, { key: `task.kind.${t.kind}` }, { href: `/grants/${t.grantId}`, text: t.reference }, t.citizenName, { key: `task.state.${t.state}` }])),
          more: { href: '/grants/due', text: 'grants.due_see_all' },
        };
      }
      case 'panel.proposals': {
        // Oldest first: the proposal that has waited longest is assessed first.
        const proposals = await this.grants.proposals(PANEL_ROWS);
        return panel(
          ['column.proposed', 'column.grant', 'column.citizen', 'column.mentor_type', 'column.level', 'column.time_per_week'],
          proposals.map((g) => [formatTime(new Date(g.visitation.proposedAt ?? g.createdAt)), { href: `/grants/${g.id}`, text: g.reference }, g.citizenName, { key: `mentor_type.${g.mentorType}` }, String(g.serviceLevel), duration(g.minutesPerWeek)]),
        );
      }
      case 'panel.amendment_proposals': {
        // Amendments that raise the minutes, oldest first, with what they propose.
        const proposed = await this.amendments.proposed(PANEL_ROWS);
        return panel(
          ['column.proposed', 'column.grant', 'column.citizen', 'column.effective_from', 'column.level', 'column.minutes_per_week', 'column.reason'],
          proposed.map((a) => [formatTime(new Date(a.createdAt)), { href: `/grants/${a.grantId}#amendment-${a.id}`, text: a.reference }, a.citizenName, a.effectiveFrom, String(a.serviceLevel ?? ''), `${a.minutesPerWeek ?? ''}`, a.reason]),
        );
      }
      case 'panel.silent_grants': {
        // No delivered session for the rule set's weeks: the oldest flag first.
        const silent = await this.silentGrants.open(PANEL_ROWS);
        return panel(['column.silent_since', 'column.grant', 'column.citizen', 'column.flagged_on'], silent.map((s) => [s.silentSince, { href: `/grants/${s.grantId}`, text: s.reference }, s.citizenName, s.flaggedOn]));
      }
      case 'panel.sent_back': {
        const sentBack = await this.grants.sentBack(PANEL_ROWS);
        return panel(
          ['column.sent_back', 'column.grant', 'column.citizen', 'column.reason'],
          sentBack.map((g) => [g.visitation.sentBackAt ? formatTime(new Date(g.visitation.sentBackAt)) : '', { href: `/grants/${g.id}`, text: g.reference }, g.citizenName, g.visitation.sentBackReason ?? '']),
        );
      }
      case 'panel.my_grants': {
        const scope = AccessScope.of(user);
        const { items } = await this.grants.list({ status: 'active', limit: PANEL_ROWS }, scope);
        const rows: Cell[][] = [];
        for (const item of items) {
          const grant = await this.grants.get(item.id, scope);
          const next = grant.dueTasks?.find((task) => task.kind === 'follow_up' && task.state !== 'done');
          rows.push([{ href: `/supplier/grants/${grant.id}`, text: grant.reference }, String(grant.serviceLevel), duration(grant.minutesPerWeek), next ? next.due : '–', next ? { key: `task.state.${next.state}` } : '–']);
        }
        return panel(['column.grant', 'column.level', 'column.time_per_week', 'column.next_report', 'column.state'], rows);
      }
      case 'panel.invoices_to_approve': {
        const { items } = await this.invoices.list({ status: 'validated', order: 'inbox', limit: PANEL_ROWS }, AccessScope.unrestricted());
        return panel(
          ['column.invoice', 'column.supplier', 'column.total', 'column.approvable', 'column.findings'],
          items.map((i) => [{ href: `/finance/invoices/${i.id}`, text: i.invoiceNumber }, i.supplierName, { amount: formatKroner(i.totalOre) }, { amount: formatKroner(i.approvableOre) }, `${i.errorCount} / ${i.warningCount}`]),
        );
      }
      case 'panel.month_close': {
        const runs = await this.billingRuns.list();
        return panel(
          ['column.month', 'column.state', 'column.progress'],
          runs.map((r) => [{ href: `/finance/billing/runs/${r.id}`, text: r.month }, { key: `finance.run_status.${r.status}` }, `${r.percent} %`]),
        );
      }
      case 'panel.my_invoices': {
        const { items } = await this.invoices.list({ limit: PANEL_ROWS }, AccessScope.of(user));
        return panel(
          ['column.invoice', 'column.state', 'column.total', 'column.findings'],
          items.map((i) => [{ href: `/supplier/invoices/${i.id}`, text: i.invoiceNumber }, { key: `invoice_status.${i.status}` }, { amount: formatKroner(i.totalOre) }, `${i.errorCount} / ${i.warningCount}`]),
        );
      }
      default:
        return panel([], []);
    }
  }
}

export function formatTime(date: Date): string {
  return date.toLocaleString('sv-SE', { timeZone: 'Europe/Copenhagen' }).slice(0, 16);
}
