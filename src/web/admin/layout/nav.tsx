// The side menu and the permission each page needs — one table, used by the menu and the routes.
import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  BookOutlined,
  ClusterOutlined,
  DesktopOutlined,
  FlagOutlined,
  HomeOutlined,
  SafetyOutlined,
  LoginOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { t } from '../i18n.js';
import { ApiOutlined, BarChartOutlined, EditOutlined, FormOutlined, MessageOutlined } from '@ant-design/icons';
import { opinionMenu } from '../pages/opinions/menu.js';

export interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
  /** Needed to see the page; undefined = every logged-in user. */
  perm?: string;
}

export interface NavGroup {
  key: string;
  label: string;
  icon: ReactNode;
  items: NavItem[];
}

export const HOME: NavItem = { path: '/', label: t.menu.home, icon: <HomeOutlined /> };

export const NAV_GROUPS: NavGroup[] = [
  {
    key: 'org',
    label: t.menu.orgGroup,
    icon: <ApartmentOutlined />,
    items: [
      { path: '/org', label: t.menu.org, icon: <ApartmentOutlined />, perm: 'org:read' },
      { path: '/party-orgs', label: t.menu.party, icon: <FlagOutlined />, perm: 'party:read' },
      { path: '/people', label: t.menu.people, icon: <TeamOutlined />, perm: 'people:read' },
    ],
  },
  {
    key: 'opinions',
    label: opinionMenu.group,
    icon: <MessageOutlined />,
    items: [
      { path: '/opinions', label: opinionMenu.triage, icon: <MessageOutlined />, perm: 'opinions:read' },
      { path: '/opinions/new', label: opinionMenu.entry, icon: <EditOutlined />, perm: 'opinions:enter' },
      { path: '/opinions/stats', label: opinionMenu.stats, icon: <BarChartOutlined />, perm: 'opinions:read' },
      { path: '/symposiums', label: opinionMenu.symposiums, icon: <TeamOutlined />, perm: 'symposiums:read' },
      { path: '/surveys', label: opinionMenu.surveys, icon: <FormOutlined />, perm: 'surveys:read' },
      { path: '/open311-keys', label: opinionMenu.open311, icon: <ApiOutlined />, perm: 'open311:keys' },
    ],
  },
  {
    key: 'system',
    label: t.menu.systemGroup,
    icon: <SettingOutlined />,
    items: [
      { path: '/users', label: t.menu.users, icon: <UserOutlined />, perm: 'users:read' },
      { path: '/roles', label: t.menu.roles, icon: <UsergroupAddOutlined />, perm: 'roles:read' },
      { path: '/sessions', label: t.menu.sessions, icon: <DesktopOutlined />, perm: 'sessions:read' },
      { path: '/approvals', label: t.menu.approvals, icon: <SafetyOutlined />, perm: 'approvals:read' },
      { path: '/dicts', label: t.menu.dicts, icon: <BookOutlined />, perm: 'dict:read' },
      { path: '/campaigns', label: t.menu.campaigns, icon: <ClusterOutlined />, perm: 'campaign:read' },
    ],
  },
  {
    key: 'audit',
    label: t.menu.auditGroup,
    icon: <SafetyCertificateOutlined />,
    items: [
      { path: '/audit-logs', label: t.menu.auditLogs, icon: <AuditOutlined />, perm: 'audit:read' },
      { path: '/login-logs', label: t.menu.loginLogs, icon: <LoginOutlined />, perm: 'loginlog:read' },
    ],
  },
];

/** Not in the menu (reached from the header bell), open to every logged-in user. */
export const NOTIFICATIONS: NavItem = { path: '/notifications', label: t.menu.notifications, icon: <BellOutlined /> };

export const ALL_NAV: NavItem[] = [HOME, ...NAV_GROUPS.flatMap((g) => g.items), NOTIFICATIONS];

export function permFor(path: string): string | undefined {
  return ALL_NAV.find((n) => n.path === path)?.perm;
}

export function labelFor(path: string): string | undefined {
  return ALL_NAV.find((n) => n.path === path)?.label;
}
