// 首页: welcome, the campaign's headline figures (stats:read), and the user's unread notifications.
import { Link } from 'react-router';
import { Col, Row, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useAuth, useMe } from '../../auth/useMe.js';
import { common, home, shell } from '../../i18n/index.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { StatCards } from '../../components/StatCards.js';
import { formatTime } from '../../components/format.js';
import { notificationText, useUnreadNotifications } from '../../components/notifications.js';

function Figures() {
  const { data, isLoading, isError, error } = useQuery({
    queryKey: ['/api/stats'],
    queryFn: () => api.get<Record<string, unknown>>('/api/stats'),
  });
  return (
    <Panel title={home.figures}>
      {isLoading ? (
        <p className="text-secondary">{common.loading}</p>
      ) : isError ? (
        <p className="text-danger">
          {common.loadFailed}：{(error as Error).message}
        </p>
      ) : data && Object.keys(data).length ? (
        <StatCards stats={data} />
      ) : (
        <p className="text-secondary">{home.noFigures}</p>
      )}
    </Panel>
  );
}

function Unread() {
  const { data, isLoading, isError } = useUnreadNotifications(5);
  return (
    <Panel title={home.unread} extra={<Link to="/notifications">{shell.header.allNotifications}</Link>}>
      {isLoading ? (
        <p className="text-secondary">{common.loading}</p>
      ) : isError || !data?.items.length ? (
        <p className="text-secondary">{home.noUnread}</p>
      ) : (
        <ul className="plain-list">
          {data.items.map((n) => (
            <li key={n.id}>
              {n.link ? <Link to={n.link}>{notificationText(n)}</Link> : <strong>{notificationText(n)}</strong>}
              <div className="text-secondary" style={{ fontSize: 12 }}>
                {formatTime(n.createdAt)}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

export default function HomePage() {
  const me = useMe();
  const { can } = useAuth();
  return (
    <>
      <PageHeader />
      <section className="panel" aria-labelledby="welcome" style={{ marginBottom: 16 }}>
        <h2 id="welcome" style={{ marginTop: 0, fontSize: 18 }}>
          {home.welcome(me.user.displayName)}
        </h2>
        <p className="text-secondary">{home.intro}</p>
        <div>
          <span style={{ marginInlineEnd: 8 }}>{me.orgUnit?.name}</span>
          {me.roles.map((r) => (
            <Tag key={r.code} color="blue">
              {r.name}
            </Tag>
          ))}
        </div>
      </section>
      <Row gutter={[16, 16]}>
        {can('stats:read') ? (
          <Col xs={24} xl={16}>
            <Figures />
          </Col>
        ) : null}
        <Col xs={24} xl={can('stats:read') ? 8 : 24}>
          <Unread />
        </Col>
      </Row>
    </>
  );
}
