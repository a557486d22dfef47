// One opinion in full: content, attachments, submitter (nothing of a named identity unless revealed on an audited request),
// the classifier's suggestion, likely duplicates, history, adoptions — and the triage actions.
import { useEffect, useState, type ReactNode } from 'react';
import {
  Button, Card, Col, Descriptions, Drawer, Empty, Flex, Image, List, Popconfirm, Progress, Rate, Row, Skeleton,
  Space, Tag, Timeline, Typography,
} from 'antd';
import { useFeedback } from '../../components/feedback.js';
import {
  ApartmentOutlined, CheckOutlined, EyeOutlined, FileOutlined, MergeCellsOutlined, MessageOutlined, StopOutlined, TagOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed } from '../../components/LoadFailed.js';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { useApiError } from '../../components/useApiError.js';
import { fileSize, formatTime } from '../../components/format.js';
import { ADOPTION_TARGETS, IDENTITY } from '../../../../shared/schemas/opinions.js';
import { common, opinions as ot } from '../../i18n/index.js';
import { OpinionActionModal, type ActionKind } from './OpinionActions.js';
import { channelLabel, OPINIONS_KEY, similarity, StatusTag, useCategories, useInvalidateOpinions, type OpinionDetail } from './shared.js';

const d = ot.detail;
const a = ot.actions;

function Section({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card size="small" title={title} extra={extra} style={{ marginBottom: 12 }}>
      {children}
    </Card>
  );
}

export function OpinionDrawer({ id, onClose, onOpen }: { id: string | null; onClose: () => void; onOpen: (id: string) => void }) {
  const can = useCan();
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidateOpinions();
  const { categoryLabel } = useCategories();
  const [action, setAction] = useState<ActionKind | null>(null);
  const [identity, setIdentity] = useState<{ name: string | null; phone: string | null; wantsContact: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const query = useQuery({
    queryKey: [OPINIONS_KEY, 'detail', id],
    queryFn: () => api.get<OpinionDetail>(`/api/opinions/${id}`),
    enabled: Boolean(id),
  });
  const o = query.data;

  // The revealed identity belongs to one opinion only.
  useEffect(() => {
    setIdentity(null);
    setAction(null);
  }, [id]);

  const run = async (key: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(key);
    try {
      await fn();
      message.success(done);
      await invalidate();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const reveal = async () => {
    if (!o) return;
    setBusy('identity');
    try {
      setIdentity(await api.get(`/api/opinions/${o.id}/identity`));
      message.info(d.revealed);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const isOpen = o ? o.status === 'received' || o.status === 'assigned' : false;
  const notClosed = o ? o.status !== 'merged' && o.status !== 'rejected' : false;
  const triage = can('opinions:triage');

  const actionButtons = o ? (
    <Flex gap={8} wrap>
      {triage && notClosed ? (
        <Button icon={<TagOutlined />} onClick={() => setAction('categorize')}>
          {a.categorize}
        </Button>
      ) : null}
      {triage && isOpen ? (
        <Button icon={<ApartmentOutlined />} onClick={() => setAction('assign')}>
          {a.assign}
        </Button>
      ) : null}
      {can('opinions:reply') && isOpen ? (
        <Button type="primary" icon={<MessageOutlined />} onClick={() => setAction('reply')}>
          {a.reply}
        </Button>
      ) : null}
      {triage && isOpen ? (
        <Button icon={<MergeCellsOutlined />} onClick={() => setAction('merge')}>
          {a.merge}
        </Button>
      ) : null}
      {triage && notClosed ? (
        <Button icon={<UnorderedListOutlined />} onClick={() => setAction('adopt')}>
          {a.adopt}
        </Button>
      ) : null}
      {triage && isOpen ? (
        <Button danger icon={<StopOutlined />} onClick={() => setAction('reject')}>
          {a.reject}
        </Button>
      ) : null}
    </Flex>
  ) : null;

  let body: ReactNode;
  if (query.isError) {
    body = <LoadFailed error={query.error} />;
  } else if (!o) {
    body = <Skeleton active paragraph={{ rows: 10 }} />;
  } else {
    const ranking = o.suggestion?.ranking.slice(0, 3) ?? [];
    body = (
      <>
        {actionButtons ? <div style={{ marginBottom: 12 }}>{actionButtons}</div> : null}
        <Row gutter={12}>
          <Col xs={24} lg={15}>
            <Section title={d.content}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 15, marginBottom: 0 }} data-testid="opinion-content">
                {o.content}
              </Typography.Paragraph>
            </Section>
            <Section title={d.basics}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={[
                  { key: 'channel', label: d.channel, children: channelLabel(o.channel) },
                  { key: 'identity', label: d.identity, children: IDENTITY[o.identity] },
                  { key: 'submittedAt', label: d.submittedAt, children: formatTime(o.submittedAt) },
                  {
                    key: 'category',
                    label: d.category,
                    children: o.category ? categoryLabel(o.category) : <Typography.Text type="secondary">{ot.common.unsorted}</Typography.Text>,
                  },
                  { key: 'status', label: d.status, children: <StatusTag status={o.status} overdue={o.overdue} /> },
                  { key: 'unit', label: d.unit, children: o.assignedUnitName ?? ot.common.none },
                  { key: 'deadline', label: d.deadline, children: formatTime(o.deadlineAt) },
                  { key: 'repliedAt', label: d.repliedAt, children: formatTime(o.repliedAt) },
                  ...(o.location?.text ? [{ key: 'location', label: d.location, children: o.location.text }] : []),
                  ...(o.mergedIntoId
                    ? [
                        {
                          key: 'merged',
                          label: d.mergedInto,
                          children: <Typography.Link onClick={() => onOpen(o.mergedIntoId!)}>{d.openMergedInto}</Typography.Link>,
                        },
                      ]
                    : []),
                ]}
              />
              {o.mergedFrom.length ? (
                <div style={{ marginTop: 8 }}>
                  <Typography.Text type="secondary">{d.mergedFrom}：</Typography.Text>
                  {o.mergedFrom.map((m) => (
                    <Tag key={m.id} style={{ cursor: 'pointer' }} onClick={() => onOpen(m.id)}>
                      {m.publicNo}
                    </Tag>
                  ))}
                </div>
              ) : null}
            </Section>
            {o.reply || o.rejectReason || o.rating ? (
              <Section title={o.reply ? d.reply : d.rejectReason}>
                {o.reply ? (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="opinion-reply">
                    {o.reply}
                  </Typography.Paragraph>
                ) : null}
                {o.rejectReason ? <Typography.Paragraph>{o.rejectReason}</Typography.Paragraph> : null}
                {o.rating ? (
                  <div>
                    <Typography.Text type="secondary">{d.publicRating}：</Typography.Text>
                    <Rate disabled value={o.rating} style={{ fontSize: 14 }} /> {o.ratingComment}
                    <Typography.Text type="secondary"> {formatTime(o.ratedAt)}</Typography.Text>
                  </div>
                ) : null}
              </Section>
            ) : null}
            <Section title={d.attachments}>
              {o.attachments.length ? (
                <Flex gap={12} wrap>
                  <Image.PreviewGroup>
                    {o.attachments
                      .filter((f) => f.mime.startsWith('image/'))
                      .map((f) => (
                        <Image key={f.id} src={`/api/files/${f.id}`} alt={f.name} width={112} height={112} style={{ objectFit: 'cover' }} />
                      ))}
                  </Image.PreviewGroup>
                  {o.attachments
                    .filter((f) => !f.mime.startsWith('image/'))
                    .map((f) => (
                      <a key={f.id} href={`/api/files/${f.id}`} target="_blank" rel="noopener noreferrer">
                        <FileOutlined /> {f.name}（{fileSize(f.size)}）
                      </a>
                    ))}
                </Flex>
              ) : (
                <Typography.Text type="secondary">{d.noAttachments}</Typography.Text>
              )}
            </Section>
            <Section title={d.history}>
              <Timeline
                items={o.events.map((e) => ({
                  color: e.public ? 'blue' : 'gray',
                  title: formatTime(e.at),
                  content: (
                    <div>
                      <Space size={4} wrap>
                        <Typography.Text strong>{d.events[e.kind] ?? e.kind}</Typography.Text>
                        {e.actorName ? <Typography.Text type="secondary">{d.by(e.actorName)}</Typography.Text> : null}
                        {e.public ? <Tag color="blue">{ot.common.publicTag}</Tag> : <Tag>{ot.common.internalTag}</Tag>}
                      </Space>
                      {e.publicText ? <div>{e.publicText}</div> : null}
                      {e.kind === 'categorized' && e.detail?.category ? (
                        <div>{d.eventCategory(categoryLabel(e.detail.category))}</div>
                      ) : null}
                      {e.kind === 'assigned' && e.detail?.workdays ? (
                        <Typography.Text type="secondary">{d.eventWorkdays(e.detail.workdays)}</Typography.Text>
                      ) : null}
                      {e.kind === 'assigned' && e.detail?.note ? <div>{d.eventNote(e.detail.note)}</div> : null}
                    </div>
                  ),
                }))}
              />
            </Section>
          </Col>
          <Col xs={24} lg={9}>
            <Section title={d.submitter}>
              {o.identity === 'named' ? (
                <>
                  <Descriptions
                    size="small"
                    column={1}
                    items={[
                      // Nothing of the identity (not even masked) until an audited reveal by 整顿办.
                      { key: 'name', label: d.name, children: identity ? (identity.name ?? ot.common.none) : d.identityProtected },
                      { key: 'phone', label: d.phone, children: identity ? (identity.phone ?? ot.common.none) : d.identityProtected },
                      { key: 'contact', label: d.wantsContact, children: o.wantsContact ? d.yes : d.no },
                    ]}
                  />
                  {o.canSeeIdentity && !identity ? (
                    <Popconfirm title={d.revealConfirm} description={<div style={{ maxWidth: 260 }}>{d.revealConfirmDetail}</div>} onConfirm={reveal}>
                      <Button size="small" icon={<EyeOutlined />} loading={busy === 'identity'}>
                        {d.revealIdentity}
                      </Button>
                    </Popconfirm>
                  ) : null}
                  {identity ? <Typography.Text type="warning">{d.revealed}</Typography.Text> : null}
                </>
              ) : (
                <Typography.Text type="secondary">{d.anonymous}</Typography.Text>
              )}
            </Section>
            <Section
              title={d.suggestion}
              extra={
                o.suggestion && triage && notClosed && o.category !== o.suggestion.category ? (
                  <Button
                    size="small"
                    type="primary"
                    icon={<CheckOutlined />}
                    loading={busy === 'suggest'}
                    onClick={() =>
                      run('suggest', () => api.post(`/api/opinions/${o.id}/categorize`, { category: o.suggestion!.category }), a.categorized)
                    }
                  >
                    {d.adoptSuggestion}
                  </Button>
                ) : null
              }
            >
              {o.suggestion ? (
                <>
                  <div style={{ marginBottom: 8 }}>
                    <Tag color="geekblue" style={{ fontSize: 14, padding: '2px 8px' }}>
                      {categoryLabel(o.suggestion.category)}
                    </Tag>
                    <Typography.Text type="secondary">
                      {d.confidence} {ot.common.percent(o.suggestion.confidence, 0)}
                    </Typography.Text>
                  </div>
                  {ranking.map((r) => (
                    <div key={r.category}>
                      <Typography.Text style={{ fontSize: 12 }}>{categoryLabel(r.category)}</Typography.Text>
                      <Progress percent={Math.round(r.p * 100)} size="small" status="normal" aria-label={categoryLabel(r.category)} />
                    </div>
                  ))}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {d.suggestionHint}
                  </Typography.Text>
                </>
              ) : (
                <Typography.Text type="secondary">{d.noSuggestion}</Typography.Text>
              )}
            </Section>
            <Section title={d.duplicates}>
              {o.duplicates.length ? (
                <List
                  size="small"
                  dataSource={o.duplicates}
                  renderItem={(dup) => (
                    <List.Item
                      actions={
                        triage && isOpen && dup.status !== 'rejected'
                          ? [
                              <Popconfirm
                                key="merge"
                                title={d.mergeHere}
                                description={<div style={{ maxWidth: 260 }}>{d.mergeHereConfirm(dup.publicNo)}</div>}
                                onConfirm={() =>
                                  run(`merge-${dup.id}`, () => api.post(`/api/opinions/${o.id}/merge`, { intoId: dup.id }), a.merged)
                                }
                              >
                                <Button size="small" type="link" loading={busy === `merge-${dup.id}`}>
                                  {d.mergeHere}
                                </Button>
                              </Popconfirm>,
                            ]
                          : []
                      }
                    >
                      <List.Item.Meta
                        title={
                          <Space size={4} wrap>
                            <Typography.Link onClick={() => onOpen(dup.id)}>{dup.publicNo}</Typography.Link>
                            <Tag color="orange">
                              {d.similarity} {similarity(dup.distance)}
                            </Tag>
                            <StatusTag status={dup.status} />
                          </Space>
                        }
                        description={dup.excerpt}
                      />
                    </List.Item>
                  )}
                />
              ) : (
                <Typography.Text type="secondary">{d.noDuplicates}</Typography.Text>
              )}
            </Section>
            <Section title={d.adoptions}>
              {o.adoptions.length ? (
                <List
                  size="small"
                  dataSource={o.adoptions}
                  renderItem={(ad) => (
                    <List.Item>
                      <List.Item.Meta
                        title={
                          <Space size={4} wrap>
                            <Tag color="cyan">{ADOPTION_TARGETS[ad.target]}</Tag>
                            {ad.title}
                          </Space>
                        }
                        description={
                          <>
                            <Tag color={ad.status === 'linked' ? 'green' : 'default'}>
                              {ad.status === 'linked' ? d.adoptionLinked : d.adoptionPending}
                            </Tag>
                            {formatTime(ad.createdAt)}
                            {ad.note ? <div>{ad.note}</div> : null}
                          </>
                        }
                      />
                    </List.Item>
                  )}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={d.noAdoptions} />
              )}
            </Section>
          </Col>
        </Row>
      </>
    );
  }

  return (
    <>
      <Drawer
        open={Boolean(id)}
        onClose={onClose}
        size={Math.min(1080, window.innerWidth)}
        destroyOnHidden
        title={
          o ? (
            <Space wrap>
              {d.title(o.publicNo)}
              <StatusTag status={o.status} overdue={o.overdue} />
            </Space>
          ) : (
            d.loading
          )
        }
      >
        {body}
      </Drawer>
      {o ? (
        <OpinionActionModal
          kind={action}
          opinion={o}
          onClose={() => setAction(null)}
          onDone={async () => {
            setAction(null);
            await invalidate();
          }}
        />
      ) : null}
    </>
  );
}
