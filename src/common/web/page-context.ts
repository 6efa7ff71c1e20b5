import type { Request } from 'express';
import type { Role } from '../actor';
import { isServicePrincipal, type AuthenticatedUser } from '../auth/authenticated-user';

export type Language = 'da' | 'en';
export const LANGUAGES: readonly Language[] = ['da', 'en'];
export const LANGUAGE_COOKIE = 'mps_lang';

export interface NavItem {
  /** Message key of the label. */
  label: string;
  href: string;
  roles: readonly Role[];
}

/** The navigation, by role. Modules add their pages here as they arrive. */
export const NAVIGATION: readonly NavItem[] = [
  { label: 'nav.dashboard', href: '/', roles: ['admin', 'procurement', 'caseworker', 'team_leader', 'finance', 'supplier'] },
  { label: 'nav.suppliers', href: '/procurement/suppliers', roles: ['procurement', 'admin'] },
  { label: 'nav.agreements', href: '/procurement/agreements', roles: ['procurement', 'admin'] },
  { label: 'nav.grants', href: '/grants', roles: ['caseworker', 'team_leader', 'admin'] },
  { label: 'nav.new_grant', href: '/grants/new', roles: ['caseworker'] },
  { label: 'nav.catalogue', href: '/catalogue', roles: ['caseworker', 'procurement', 'admin'] },
  { label: 'nav.ad_hoc', href: '/ad-hoc-purchases', roles: ['caseworker', 'team_leader', 'procurement', 'admin'] },
  { label: 'nav.my_agreements', href: '/supplier/agreements', roles: ['supplier'] },
  { label: 'nav.my_grants', href: '/supplier/grants', roles: ['supplier'] },
  { label: 'nav.my_sessions', href: '/supplier/sessions', roles: ['supplier'] },
  { label: 'nav.my_invoices', href: '/supplier/invoices', roles: ['supplier'] },
  // Hour registration is for partner companies; a mentor supplier's page says it invoices instead.
  { label: 'nav.my_hours', href: '/supplier/hours', roles: ['supplier'] },
  { label: 'nav.invoice_inbox', href: '/finance/invoices', roles: ['finance', 'admin'] },
  { label: 'nav.business_responses', href: '/finance/business-responses', roles: ['finance', 'admin'] },
  { label: 'nav.billing', href: '/finance/billing', roles: ['finance', 'admin'] },
  { label: 'nav.statements', href: '/finance/statements', roles: ['finance', 'admin'] },
  { label: 'nav.payments', href: '/finance/payments', roles: ['finance', 'admin'] },
  { label: 'nav.postings', href: '/finance/postings', roles: ['finance', 'admin'] },
  { label: 'nav.refund_claims', href: '/finance/refund-claims', roles: ['finance', 'admin'] },
  { label: 'nav.budget', href: '/finance/budget', roles: ['finance', 'admin'] },
  { label: 'nav.spend', href: '/finance/spend', roles: ['finance', 'admin'] },
  { label: 'nav.hour_budget', href: '/finance/hour-budget', roles: ['finance', 'admin'] },
  { label: 'nav.budget_guarantee', href: '/finance/budget-guarantee', roles: ['finance', 'admin'] },
  { label: 'nav.my_statements', href: '/supplier/statements', roles: ['supplier'] },
  { label: 'nav.performance', href: '/procurement/performance', roles: ['procurement', 'admin'] },
  { label: 'nav.statistics', href: '/finance/statistics', roles: ['finance', 'admin', 'procurement'] },
  { label: 'nav.investment_case', href: '/finance/investment-case', roles: ['finance', 'admin', 'procurement'] },
  { label: 'nav.comparison', href: '/finance/comparison', roles: ['finance', 'admin', 'procurement'] },
  { label: 'nav.users', href: '/admin/users', roles: ['admin'] },
  { label: 'nav.sign_in', href: '/admin/sign-in', roles: ['admin'] },
  { label: 'nav.service_accounts', href: '/admin/service-accounts', roles: ['admin'] },
  { label: 'nav.audit', href: '/admin/audit', roles: ['admin'] },
  { label: 'nav.outbox', href: '/admin/outbox', roles: ['admin'] },
  { label: 'nav.queues', href: '/admin/queues', roles: ['admin'] },
];

export interface PageUser {
  displayName: string;
  email: string;
  role: Role;
}

/** What every page's layout needs, besides the page's own model. */
export interface PageContext {
  lang: Language;
  otherLang: Language;
  user: PageUser | null;
  nav: Array<{ label: string; href: string; current: boolean }>;
  csrfToken: string | null;
  path: string;
  /** The signed-in user's unread notifications (the top bar's count); null when not known. */
  unreadNotifications: number | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    locale?: Language;
    csrfToken?: string;
    /** Set for pages by the notifications module before the handler runs. */
    unreadNotifications?: number;
    /** Set by the notifications module when the user is a deputy today: whom the user acts for. */
    actingFor?: { userId: string; label: string };
  }
}

/**
 * Who signed in, for a page answered before any guard ran (a path no route has: its 404 page still shows the
 * layout of the signed-in user). The identity module registers it; null is nobody.
 */
type PageUserResolver = (request: Request) => Promise<AuthenticatedUser | null>;
let pageUserResolver: PageUserResolver | null = null;

export function registerPageUserResolver(resolver: PageUserResolver): void {
  pageUserResolver = resolver;
}

/** Sets the signed-in user of a request no guard saw (see registerPageUserResolver); errors leave it anonymous. */
export async function resolvePageUser(request: Request): Promise<void> {
  if (request.user !== undefined || pageUserResolver === null) return;
  try {
    const user = await pageUserResolver(request);
    if (user) request.user = user;
  } catch {
    // an error page for nobody is still an error page
  }
}

export function pageContext(request: Request): PageContext {
  // A service account's token never opens a page; it is nobody there.
  const user = isServicePrincipal(request.user) ? undefined : (request.user as AuthenticatedUser | undefined);
  const lang = request.locale ?? user?.language ?? 'da';
  return {
    lang,
    otherLang: lang === 'da' ? 'en' : 'da',
    user: user ? { displayName: user.displayName, email: user.email, role: user.role } : null,
    nav: user
      ? NAVIGATION.filter((item) => item.roles.includes(user.role)).map((item) => ({
          label: item.label,
          href: item.href,
          current: item.href === '/' ? request.path === '/' : request.path === item.href || (request.path.startsWith(`${item.href}/`) && !NAVIGATION.some((other) => other.href !== item.href && request.path.startsWith(other.href) && other.href.length > item.href.length)),
        }))
      : [],
    csrfToken: request.csrfToken ?? null,
    path: request.path,
    unreadNotifications: request.unreadNotifications ?? null,
  };
}

/**
 * The language of an API answer: the one the client chose (`?lang=`, the language cookie) or asked for
 * (Accept-Language), else English like the rest of the API. Pages use the page's language instead.
 */
export function apiLanguage(request: Request): Language {
  if (request.locale) return request.locale;
  if (request.headers['accept-language'] === undefined) return 'en';
  return request.acceptsLanguages('en', 'da') === 'da' ? 'da' : 'en';
}

/** Picks the language from `?lang=`, then the language cookie; null means the user's own or Danish. */
export function requestedLanguage(query: unknown, cookie: unknown): Language | null {
  if (typeof query === 'string' && (LANGUAGES as readonly string[]).includes(query)) return query as Language;
  if (typeof cookie === 'string' && (LANGUAGES as readonly string[]).includes(cookie)) return cookie as Language;
  return null;
}
