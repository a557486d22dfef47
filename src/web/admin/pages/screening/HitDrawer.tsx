// One hit in full: which rule (and which version of it) found it, the rule's plain-Chinese description,
// why this case matched, the register rows it rests on (each named by its register and row number, as
// the imported file has it), and the review. While it waits for review: 转为线索, 排除 (with a reason)
// or 已掌握. The forms load when first opened.
import { lazy, useEffect, useState, type ReactNode } from 'react';
import { Button, Card, Descriptions, Drawer, Flex, Skeleton, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { formatTime } from '../../components/format.js';
import { screening as st } from '../../i18n/index.js';
import { HIT_STATUS_COLOR, HITS_KEY, type HitDetail } from './shared.js';

const d = st.detail;
const none = st.common.none;
const forms = () => import('./ScreeningForms.js');
const ACTIONS = {
  confirm: lazy(() => forms().then((m) => ({ default: m.ConfirmModal }))),
  dismiss: lazy(() => forms().then((m) => ({ default: m.DismissModal }))),
  known: lazy(() => forms().then((m) => ({ default: m.KnownModal }))),
};
type Action = keyof typeof ACTIONS;

const heading = (text: string) => <h2 className="card-heading">{text}</h2>;
const pre = { whiteSpace: 'pre-wrap', marginBottom: 0 } as const;

export default function HitDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const can = useCan();
  const [action, setAction] = useState<Action | null>(null);
  const query = useQuery({
    queryKey: [HITS_KEY, 'detail', id],
    queryFn: () => api.get<HitDetail>(`${HITS_KEY}/${id}`),
    enabled: Boolean(id),
  });
  const hit = query.data;
  // A form belongs to the hit it was opened on.
  useEffect(() => setAction(null), [id]);

  let body: ReactNode;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!hit) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else {
    const review = can('screening:review');
    const open = hit.status === 'open';
    body = (
      <Flex vertical gap={12}>
        {review ? (
          open ? (
            <Flex gap={8} wrap>
              {/* A clue is registered: only whoever may register clues turns a hit into one. */}
              {can('clues:write') ? (
                <Button type="primary" icon={<SendOutlined />} onClick={() => setAction('confirm')}>
                  {d.confirm}
                </Button>
              ) : null}
              <Button danger icon={<CloseCircleOutlined />} onClick={() => setAction('dismiss')}>
                {d.dismiss}
              </Button>
              <Button icon={<CheckCircleOutlined />} onClick={() => setAction('known')}>
                {d.known}
              </Button>
            </Flex>
          ) : (
            <p className="text-secondary" style={{ margin: 0 }}>
              {d.closedHelp}
            </p>
          )
        ) : null}
        <p className="notice warning" role="note" style={{ margin: 0 }}>
          {st.common.restricted}
        </p>
        <Card size="small" title={heading(d.basics)}>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'rule', label: d.rule, span: 'filled', children: d.ruleVersion(hit.ruleName, hit.ruleVersion) },
              {
                key: 'status',
                label: d.status,
                children: (
                  <>
                    <Tag color={HIT_STATUS_COLOR[hit.status]}>{hit.statusLabel}</Tag>
                    {hit.present ? null : <Tag title={st.hits.goneHelp}>{st.hits.gone}</Tag>}
                  </>
                ),
              },
              {
                key: 'clue',
                label: d.clue,
                children:
                  hit.clueNo && hit.clueId ? (
                    can('clues:read') ? (
                      <Link to={`/clues?id=${encodeURIComponent(hit.clueId)}`} data-testid="hit-clue">
                        {hit.clueNo}
                      </Link>
                    ) : (
                      <span data-testid="hit-clue">{hit.clueNo}</span>
                    )
                  ) : (
                    none
                  ),
              },
              { key: 'subject', label: d.subject, children: hit.subject },
              { key: 'unit', label: d.orgUnit, children: hit.orgUnitName ?? none },
              { key: 'first', label: d.firstSeen, children: formatTime(hit.firstSeenAt) },
              { key: 'last', label: d.lastSeen, children: formatTime(hit.lastSeenAt) },
            ]}
          />
        </Card>
        <Card size="small" title={heading(d.ruleDescription)}>
          <Typography.Paragraph style={pre}>{hit.description}</Typography.Paragraph>
        </Card>
        <Card size="small" title={heading(d.reasoning)}>
          <Typography.Paragraph style={pre} data-testid="hit-reasoning">
            {hit.reasoning}
          </Typography.Paragraph>
        </Card>
        <Card size="small" title={heading(d.evidence)}>
          <Flex vertical gap={12}>
            {hit.evidence.map((e, i) => (
              <section key={`${e.snapshotId}-${e.row}-${i}`} aria-label={d.evidenceTable(e.datasetLabel, e.row)} data-testid="evidence">
                <Typography.Text strong>{d.evidenceOf(e.datasetLabel, e.row)}</Typography.Text>
                <Descriptions
                  size="small"
                  bordered
                  column={{ xs: 1, sm: 2 }}
                  style={{ marginTop: 6 }}
                  items={e.fields.map((f, j) => ({ key: `${f.label}-${j}`, label: f.label, children: f.value || none }))}
                />
              </section>
            ))}
          </Flex>
        </Card>
        <Card size="small" title={heading(d.review)}>
          {hit.review ? (
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'by', label: d.reviewedBy, children: hit.review.byName ?? none },
                { key: 'at', label: d.reviewedAt, children: formatTime(hit.review.at) },
                { key: 'note', label: d.reviewNote, children: <span style={{ whiteSpace: 'pre-wrap' }}>{hit.review.note || none}</span> },
              ]}
            />
          ) : (
            <Typography.Text type="secondary">{d.notReviewed}</Typography.Text>
          )}
        </Card>
      </Flex>
    );
  }

  const close = () => setAction(null);
  return (
    <>
      <Drawer open={Boolean(id)} onClose={onClose} size={Math.min(860, window.innerWidth)} destroyOnHidden title={hit ? d.title(hit.ruleName) : d.loading}>
        {body}
      </Drawer>
      {hit
        ? (Object.keys(ACTIONS) as Action[]).map((k) => {
            const Form = ACTIONS[k];
            return (
              <OnDemand key={k} open={action === k}>
                <Form hit={hit} open={action === k} onClose={close} onSaved={close} />
              </OnDemand>
            );
          })
        : null}
    </>
  );
}
