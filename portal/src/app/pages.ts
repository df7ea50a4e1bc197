/**
 * Every page of the portal, in navigation order, with who may see it. The navigation, the router
 * and the browser tests all read this one list. Pages load on first visit (the charts library
 * only with the pages that draw charts). The server authorizes every call on its own: hiding a
 * page here is for clarity, not security.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export type Audience = 'everyone' | 'admin';

export interface PageEntry {
  /** Under /portal/. */
  readonly path: string;
  readonly label: string;
  readonly section: NavSection;
  readonly audience: Audience;
  readonly component: LazyExoticComponent<ComponentType>;
}

/** Sections group pages by the question they answer. */
export const NAV_SECTIONS = ['Overview', 'Access', 'Spend', 'Traffic', 'Gateway'] as const;
export type NavSection = (typeof NAV_SECTIONS)[number];

const page = (path: string, label: string, section: NavSection, audience: Audience, load: () => Promise<{ default: ComponentType }>): PageEntry => ({
  path,
  label,
  section,
  audience,
  component: lazy(load),
});

export const PAGES: readonly PageEntry[] = [
  page('dashboard', 'Dashboard', 'Overview', 'everyone', () => import('../features/dashboard/DashboardPage.js')),
  page('usage', 'Usage', 'Overview', 'everyone', () => import('../features/usage/UsagePage.js')),
  page('connect', 'Connect', 'Overview', 'everyone', () => import('../features/connect/ConnectPage.js')),
  page('keys', 'Keys', 'Access', 'everyone', () => import('../features/keys/KeysPage.js')),
  page('users', 'Users', 'Access', 'admin', () => import('../features/users/UsersPage.js')),
  page('teams', 'Teams', 'Access', 'admin', () => import('../features/teams/TeamsPage.js')),
  page('authentication', 'Authentication', 'Access', 'admin', () => import('../features/authentication/AuthenticationPage.js')),
  page('admin-keys', 'Admin API keys', 'Access', 'admin', () => import('../features/admin-keys/AdminKeysPage.js')),
  page('policies', 'Policies', 'Access', 'admin', () => import('../features/policies/PoliciesPage.js')),
  page('budgets', 'Budgets', 'Spend', 'everyone', () => import('../features/budgets/BudgetsPage.js')),
  page('budget-alerts', 'Budget alerts', 'Spend', 'admin', () => import('../features/budget-alerts/BudgetAlertsPage.js')),
  page('pricing', 'Pricing', 'Spend', 'admin', () => import('../features/pricing/PricingPage.js')),
  page('endpoints', 'Endpoints', 'Traffic', 'admin', () => import('../features/endpoints/EndpointsPage.js')),
  page('mcp-servers', 'MCP servers', 'Traffic', 'admin', () => import('../features/mcp-servers/McpServersPage.js')),
  page('web-search', 'Web search', 'Gateway', 'everyone', () => import('../features/web-search/WebSearchPage.js')),
  page('notifications', 'Notifications', 'Gateway', 'admin', () => import('../features/notifications/NotificationsPage.js')),
  page('settings', 'Settings', 'Gateway', 'admin', () => import('../features/settings/SettingsPage.js')),
  page('system', 'System', 'Gateway', 'admin', () => import('../features/system/SystemPage.js')),
  page('attribution', 'Attribution', 'Spend', 'everyone', () => import('../features/attribution/AttributionPage.js')),
];

export const pagesFor = (isAdmin: boolean) => PAGES.filter((entry) => isAdmin || entry.audience === 'everyone');
