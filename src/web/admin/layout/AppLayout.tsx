// The staff app's frame: the side menu (the route table, filtered by permission), the header with the
// roles, the bell and the user menu, and the pages of the route table, each behind its permission
// (403 otherwise) and with its name as the document title.
//
// Plain markup and CSS (frame.css), not antd's Layout/Menu/Dropdown: the frame comes with every
// page's first load, and those would add some 45 KB gzipped to each. Landmarks (nav, header, main),
// aria-current on the page's entry, menus that open with aria-expanded and close with Escape.
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useFeedback } from '../components/feedback.js';
import { Link, Route, Routes, useLocation, useNavigate } from 'react-router';
import { BellOutlined, DownOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '../api.js';
import { useAuth, useMe } from '../auth/useMe.js';
import { common, shell } from '../i18n/index.js';
import { formatTime } from '../components/format.js';
import { notificationText, useUnreadNotifications } from '../components/notifications.js';
import { NotFoundResult, RequirePerm } from '../components/Forbidden.js';
import { MENU_GROUPS, ROUTES, routeFor, type MenuGroup, type StaffRoute } from '../routes.js';
import { spinner } from '../App.js';
import { AntdRoot } from './AntdRoot.js';
import { ICONS } from './icons.js';
import { PageErrorBoundary } from './PageErrorBoundary.js';
import { usePopup } from '../components/usePopup.js';
import './frame.css';

const t = shell;
const PAGES = ROUTES.map((r) => ({ route: r, Page: lazy(r.page) }));
const inMenu = (r: StaffRoute) => r.menu !== false;

function SideMenu({ collapsed, current }: { collapsed: boolean; current: StaffRoute | undefined }) {
  const { can } = useAuth();
  const [closed, setClosed] = useState<Set<MenuGroup>>(new Set());
  const visible = (r: StaffRoute) => inMenu(r) && (!r.perm || can(r.perm));
  const entry = (r: StaffRoute) => (
    <li key={r.path}>
      <Link to={r.path} className="nav-link" aria-current={current?.path === r.path ? 'page' : undefined} title={collapsed ? r.title : undefined}>
        <span className="nav-icon" aria-hidden="true">
          {ICONS[r.icon]}
        </span>
        <span className="nav-text">{r.title}</span>
      </Link>
    </li>
  );
  const groups = useMemo(
    () => MENU_GROUPS.map((g) => ({ ...g, items: ROUTES.filter((r) => r.group === g.key && visible(r)) })).filter((g) => g.items.length),
    [can],
  );
  return (
    <nav aria-label={t.menu.mainMenu} className="side-nav">
      <ul>
        {ROUTES.filter((r) => !r.group && visible(r)).map(entry)}
        {groups.map((g) => {
          // The page's own group is always open; the others as the user left them.
          const open = collapsed ? false : g.key === current?.group || !closed.has(g.key);
          return (
            <li key={g.key}>
              <button
                type="button"
                className="nav-group"
                aria-expanded={open}
                aria-controls={`nav-${g.key}`}
                title={collapsed ? g.title : undefined}
                onClick={() =>
                  setClosed((s) => {
                    const next = new Set(s);
                    if (open) next.add(g.key);
                    else next.delete(g.key);
                    return next;
                  })
                }
              >
                <span className="nav-icon" aria-hidden="true">
                  {ICONS[g.icon]}
                </span>
                <span className="nav-text">{g.title}</span>
                <DownOutlined className="nav-caret" aria-hidden />
              </button>
              <ul id={`nav-${g.key}`} hidden={!open && !collapsed} className="nav-sub">
                {g.items.map(entry)}
              </ul>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function HeaderPopup({ label, icon, badge, children, popupLabel, menu }: {
  label: ReactNode;
  icon?: ReactNode;
  badge?: number;
  popupLabel: string;
  /** A menu of actions (role=menu) rather than a panel of content. */
  menu?: boolean;
  children: (close: () => void) => ReactNode;
}) {
  const { open, setOpen, box, button } = usePopup();
  return (
    <div className="header-popup" ref={box}>
      <button
        ref={button}
        type="button"
        className="header-button"
        aria-haspopup={menu ? 'menu' : 'dialog'}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {icon}
        {label}
        {badge ? (
          <span className="header-badge" aria-hidden="true">
            {badge > 99 ? '99+' : badge}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="header-panel" role={menu ? 'menu' : 'dialog'} aria-label={popupLabel}>
          {children(() => setOpen(false))}
        </div>
      ) : null}
    </div>
  );
}

function NotificationBell() {
  const { data, isError, isStale, refetch } = useUnreadNotifications(5);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // Refreshed on navigation (user activity), not on a timer: see useUnreadNotifications.
  useEffect(() => {
    if (isStale && !isError) void refetch();
  }, [pathname]);
  const unread = isError ? 0 : (data?.unread ?? 0);
  return (
    <HeaderPopup
      icon={<BellOutlined style={{ fontSize: 18 }} aria-hidden />}
      label={<span className="sr-only">{unread ? `${t.header.notifications}（${t.header.unreadCount(unread)}）` : t.header.notifications}</span>}
      badge={unread}
      popupLabel={t.header.notifications}
    >
      {(close) => (
        <div style={{ width: 300 }}>
          <p className="header-panel-title">{t.header.notifications}</p>
          {isError || !data?.items.length ? (
            <p className="header-panel-empty">{t.header.noUnread}</p>
          ) : (
            <ul className="header-notes">
              {data.items.map((n) => (
                <li key={n.id}>
                  <span className="header-note-text">{notificationText(n)}</span>
                  <span className="header-note-time">{formatTime(n.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
          <button
            type="button"
            className="header-panel-link"
            onClick={() => {
              close();
              navigate('/notifications');
            }}
          >
            {t.header.allNotifications}
          </button>
        </div>
      )}
    </HeaderPopup>
  );
}

function UserMenu() {
  const me = useMe();
  const { signedOut } = useAuth();
  const navigate = useNavigate();
  const { message } = useFeedback();
  const logout = async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      // The session may already be gone; the user wanted out either way.
    }
    signedOut();
    message.success(t.header.loggedOut);
    navigate('/login', { replace: true });
  };
  return (
    <HeaderPopup
      menu
      popupLabel={t.header.userMenu}
      icon={
        <span className="header-avatar" aria-hidden="true">
          <UserOutlined />
        </span>
      }
      label={
        <span className="header-user">
          <span>{me.user.displayName}</span>
          <span className="header-user-unit hide-narrow">{me.orgUnit?.name ?? ''}</span>
        </span>
      }
    >
      {(close) => (
        <>
          <div className="header-panel-info" role="presentation">
            <div>
              {t.header.unit}：{me.orgUnit?.name ?? common.none}
            </div>
            <div>
              {t.header.roles}：{me.roles.map((r) => r.name).join('、') || common.none}
            </div>
          </div>
          <button
            type="button"
            role="menuitem"
            className="header-menuitem"
            autoFocus
            onClick={() => {
              close();
              navigate('/change-password');
            }}
          >
            <KeyOutlined aria-hidden /> {t.header.changePassword}
          </button>
          <button type="button" role="menuitem" className="header-menuitem" onClick={() => void logout()}>
            <LogoutOutlined aria-hidden /> {t.header.logout}
          </button>
        </>
      )}
    </HeaderPopup>
  );
}

const narrow = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 991px)').matches;

function AppLayout() {
  const me = useMe();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(narrow);
  const route = routeFor(location.pathname);

  // The tab and the history name the page (screen readers announce it on navigation).
  useEffect(() => {
    document.title = route ? `${route.title} · ${t.appName}` : t.appName;
  }, [route]);

  return (
    <div className={collapsed ? 'frame collapsed' : 'frame'}>
      <aside className="frame-side">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            法
          </span>
          {collapsed ? <span className="sr-only">{t.appName}</span> : (
            <span className="brand-text">
              <span>{t.appName}</span>
              <small>{t.appOwner}</small>
            </span>
          )}
        </Link>
        <SideMenu collapsed={collapsed} current={route} />
      </aside>
      <div className="frame-body">
        <header className="frame-header">
          <button
            type="button"
            className="header-button"
            onClick={() => setCollapsed(!collapsed)}
            aria-label={collapsed ? common.expandMenu : common.collapseMenu}
            aria-expanded={!collapsed}
          >
            {collapsed ? <MenuUnfoldOutlined aria-hidden /> : <MenuFoldOutlined aria-hidden />}
          </button>
          <div className="header-right">
            <span className="hide-narrow">
              {me.roles.map((r) => (
                <span key={r.code} className="header-role">
                  {r.name}
                </span>
              ))}
            </span>
            <NotificationBell />
            <UserMenu />
          </div>
        </header>
        <main className="frame-main">
          <PageErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={spinner}>
              <Routes>
                {PAGES.map(({ route: r, Page }) => (
                  <Route key={r.path} path={r.path} element={r.perm ? <RequirePerm perm={r.perm}><Page /></RequirePerm> : <Page />} />
                ))}
                <Route path="*" element={<NotFoundResult />} />
              </Routes>
            </Suspense>
          </PageErrorBoundary>
        </main>
      </div>
    </div>
  );
}

export default function Frame() {
  return (
    <AntdRoot>
      <AppLayout />
    </AntdRoot>
  );
}
