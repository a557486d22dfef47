// 首页: welcome, the campaign's headline figures (stats:read), and the user's unread notifications.
import { Link } from 'react-router';
import { Card, Col, Empty, Flex, Row, Skeleton, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useAuth, useMe } from '../../auth/useMe.js';
import { t } from '../../i18n.js';
import { StatCards } from '../../components/StatCards.js';
import { formatTime } from '../../components/format.js';
import { notificationText, useUnreadNotifications } from '../../components/notifications.js';

function Figures() {
  const { data, isLoading, isError, error } = useQuery({
    queryKey: ['/api/stats'],
    queryFn: () => api.get<Record<string, unknown>>('/api/stats'),
  });
  return (
    <Card title={t.home.figures}>
      {isLoading ? (
        <Skeleton active />
      ) : isError ? (
        <Typography.Text type="danger">
          {t.common.loadFailed}：{(error as Error).message}
        </Typography.Text>
      ) : data && Object.keys(data).length ? (
        <StatCards stats={data} />
      ) : (
        <Empty description={t.home.noFigures} />
      )}
    </Card>
  );
}

function Unread() {
  const { data, isLoading, isError } = useUnreadNotifications(5);
  return (
    <Card title={t.home.unread} extra={<Link to="/notifications">{t.header.allNotifications}</Link>}>
      {isLoading ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : isError || !data?.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.home.noUnread} />
      ) : (
        <Flex vertical gap={12}>
          {data.items.map((n) => (
            <div key={n.id}>
              {n.link ? <Link to={n.link}>{notificationText(n)}</Link> : <Typography.Text strong>{notificationText(n)}</Typography.Text>}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(n.createdAt)}
                </Typography.Text>
              </div>
            </div>
          ))}
        </Flex>
      )}
    </Card>
  );
}

export default function HomePage() {
  const me = useMe();
  const { can } = useAuth();
  return (
    <Flex vertical gap={16}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t.home.welcome(me.user.displayName)}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t.home.intro}
        </Typography.Paragraph>
        <Flex gap={8} wrap align="center">
          <Typography.Text>{me.orgUnit?.name}</Typography.Text>
          {me.roles.map((r) => (
            <Tag key={r.code} color="blue">
              {r.name}
            </Tag>
          ))}
        </Flex>
      </Card>
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
    </Flex>
  );
}
