// The staff app's frame: side menu filtered by permission, header with the user, bell and logout.
import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { App, Avatar, Badge, Button, Dropdown, Empty, Flex, Layout, Menu, Popover, Spin, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { BellOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '../api.js';
import { useAuth, useMe } from '../auth/useMe.js';
import { t } from '../i18n.js';
import { formatTime } from '../components/format.js';
import { notificationText, useUnreadNotifications } from '../components/notifications.js';
import { HOME, NAV_GROUPS } from './nav.js';
import { PageErrorBoundary } from './PageErrorBoundary.js';

const { Header, Sider, Content } = Layout;

function useMenuItems(): MenuProps['items'] {
  const { can } = useAuth();
  return useMemo(() => {
    const items: NonNullable<MenuProps['items']> = [{ key: HOME.path, icon: HOME.icon, label: <Link to={HOME.path}>{HOME.label}</Link> }];
    for (const g of NAV_GROUPS) {
      const children = g.items
        .filter((i) => !i.perm || can(i.perm))
        .map((i) => ({ key: i.path, icon: i.icon, label: <Link to={i.path}>{i.label}</Link> }));
      if (children.length) items.push({ key: g.key, icon: g.icon, label: g.label, children });
    }
    return items;
  }, [can]);
}

function NotificationBell() {
  const { data, isError, isStale, refetch } = useUnreadNotifications(5);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  // Refreshed on navigation (user activity), not on a timer: see useUnreadNotifications.
  useEffect(() => {
    if (isStale && !isError) void refetch();
  }, [pathname]);
  const content = (
    <div style={{ width: 300 }}>
      {isError || !data?.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.header.noUnread} />
      ) : (
        <Flex vertical gap={8}>
          {data.items.map((n) => (
            <div key={n.id}>
              <Typography.Text ellipsis style={{ display: 'block' }}>
                {notificationText(n)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(n.createdAt)}
              </Typography.Text>
            </div>
          ))}
        </Flex>
      )}
      <Button
        type="link"
        block
        onClick={() => {
          setOpen(false);
          navigate('/notifications');
        }}
      >
        {t.header.allNotifications}
      </Button>
    </div>
  );
  return (
    <Popover content={content} title={t.header.notifications} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={isError ? 0 : (data?.unread ?? 0)} size="small" overflowCount={99}>
        <Button type="text" icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label={t.header.notifications} />
      </Badge>
    </Popover>
  );
}

function UserMenu() {
  const me = useMe();
  const { signedOut } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
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
  const items: MenuProps['items'] = [
    {
      key: 'info',
      disabled: true,
      label: (
        <div style={{ maxWidth: 260, whiteSpace: 'normal', color: 'rgba(0,0,0,0.65)' }}>
          <div>
            {t.header.unit}：{me.orgUnit?.name ?? t.common.none}
          </div>
          <div>
            {t.header.roles}：{me.roles.map((r) => r.name).join('、') || t.common.none}
          </div>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: t.header.changePassword, onClick: () => navigate('/change-password') },
    { key: 'logout', icon: <LogoutOutlined />, label: t.header.logout, onClick: () => void logout() },
  ];
  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <Button type="text" style={{ height: 48 }} aria-label={`${me.user.displayName}，${t.header.logout}`}>
        <Flex align="center" gap={8}>
          <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1d4e89' }} />
          <Flex vertical align="flex-start" style={{ lineHeight: 1.25 }}>
            <span>{me.user.displayName}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} className="hide-narrow">
              {me.orgUnit?.name ?? ''}
            </Typography.Text>
          </Flex>
        </Flex>
      </Button>
    </Dropdown>
  );
}

export function AppLayout() {
  const me = useMe();
  const location = useLocation();
  const items = useMenuItems();
  const [collapsed, setCollapsed] = useState(false);
  // The longest menu path that the location starts with: /opinions/stats selects 意见统计, not 意见梳理.
  const selected =
    NAV_GROUPS.flatMap((g) => g.items.map((i) => i.path))
      .filter((p) => p === location.pathname || (p !== '/' && location.pathname.startsWith(`${p}/`)))
      .sort((a, b) => b.length - a.length)[0] ?? '/' + (location.pathname.split('/')[1] ?? '');
  const openGroup = NAV_GROUPS.find((g) => g.items.some((i) => i.path === selected))?.key;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        width={216}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        trigger={null}
        theme="dark"
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <Link to="/" className="brand" aria-label={t.appName}>
          <span className="brand-mark" aria-hidden="true">
            法
          </span>
          {collapsed ? null : (
            <span className="brand-text">
              <span>{t.appName}</span>
              <small>{t.appOwner}</small>
            </span>
          )}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={[selected]}
          defaultOpenKeys={NAV_GROUPS.map((g) => g.key).filter((k) => k === openGroup || !collapsed)}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
            aria-label={collapsed ? t.common.expandMenu : t.common.collapseMenu}
          />
          <Flex align="center" gap={8}>
            <span className="hide-narrow">
              {me.roles.map((r) => (
                <Tag key={r.code} color="blue" style={{ marginInlineEnd: 4 }}>
                  {r.name}
                </Tag>
              ))}
            </span>
            <NotificationBell />
            <UserMenu />
          </Flex>
        </Header>
        <Content style={{ padding: 16 }}>
          <PageErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '80px auto' }} />}>
              <Outlet />
            </Suspense>
          </PageErrorBoundary>
        </Content>
      </Layout>
    </Layout>
  );
}
