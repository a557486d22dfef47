// One clue in full (the server audits every opening): its facts, text, the people and units it
// concerns with each person's 自查从宽 (and the declaration it rests on) or 被查从严, the reporter kept
// hidden until asked for (asked again, and audited), the history with each decision's note, the evidence,
// and the next steps in their order — 处置, 登记核实结果, 办结. The forms load when first opened.
import { lazy, useEffect, useState, type ReactNode } from 'react';
import { Button, Card, Descriptions, Drawer, Empty, Flex, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, FileSearchOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { FileLinks } from '../../components/FileLinks.js';
import { formatDate, formatTime } from '../../components/format.js';
import { useApiError } from '../../components/useApiError.js';
import { clues as ct } from '../../i18n/index.js';
import { DISPOSAL_METHODS, DISPOSITIONS, VERIFICATION_OUTCOMES } from '../../../../shared/schemas/clue-labels.js';
import { CLUES_KEY, nextSteps, STAGE_COLOR, subjectText, type ClueDetail } from './shared.js';

const d = ct.detail;
const none = ct.common.none;
const forms = () => import('./ClueForms.js');
/** The three steps, in their order, each a form of its own. */
const STEPS = {
  dispose: lazy(() => forms().then((m) => ({ default: m.DisposeModal }))),
  verify: lazy(() => forms().then((m) => ({ default: m.VerifyModal }))),
  close: lazy(() => forms().then((m) => ({ default: m.CloseModal }))),
};

type FormKind = keyof typeof STEPS;
type Identity = { name: string | null; phone: string | null };

/** A history entry's words: 登记线索, 处置：初步核实, 核实：属实, 办结：诫勉. */
function eventText(kind: string): string {
  const [verb, code = ''] = kind.split(':');
  const pick = (map: Record<string, string>) => map[code] ?? code;
  if (verb === 'dispose') return ct.events.dispose(pick(DISPOSAL_METHODS));
  if (verb === 'verify') return ct.events.verify(pick(VERIFICATION_OUTCOMES));
  if (verb === 'close') return ct.events.close(pick(DISPOSITIONS));
  return verb === 'registered' ? ct.events.registered : kind;
}

function Leniency({ clue }: { clue: ClueDetail }) {
  if (!clue.leniency.length) return <Typography.Text type="secondary">{d.noPeople}</Typography.Text>;
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{d.leniencyHelp}</Typography.Text>
      {clue.leniency.map((p) => (
        <div key={p.personId} data-testid="leniency">
          <Space size={8} wrap>
            <Typography.Text strong>{p.personName}</Typography.Text>
            <Tag color={p.leniency === 'self_reported' ? 'green' : 'red'}>{p.leniencyLabel}</Tag>
          </Space>
          {p.declaration ? (
            <Descriptions
              size="small"
              bordered
              column={1}
              style={{ marginTop: 8 }}
              items={[
                { key: 'kind', label: d.declaration, children: d.declarationOf(p.personName) },
                { key: 'item', label: d.declaredItem, children: p.declaration.item },
                { key: 'text', label: d.declaredText, children: <span style={{ whiteSpace: 'pre-wrap' }}>{p.declaration.description || none}</span> },
                { key: 'signed', label: d.signedOn, children: `${formatDate(p.declaration.signedAt)}（${d.version(p.declaration.version)}）` },
              ]}
            />
          ) : null}
        </div>
      ))}
    </Flex>
  );
}

export default function ClueDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const can = useCan();
  const showError = useApiError();
  const [form, setForm] = useState<FormKind | null>(null);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const query = useQuery({
    queryKey: [CLUES_KEY, 'detail', id],
    queryFn: () => api.get<ClueDetail>(`${CLUES_KEY}/${id}`),
    enabled: Boolean(id),
  });
  const clue = query.data;
  // A form and a revealed reporter belong to the clue they were opened on.
  useEffect(() => {
    setForm(null);
    setIdentity(null);
  }, [id]);

  const reveal = async () => {
    try {
      const r = await api.get<ClueDetail>(`${CLUES_KEY}/${id}?identity=1`);
      setIdentity('name' in r.reporter ? r.reporter : { name: null, phone: null });
    } catch (err) {
      showError(err);
      throw err;
    }
  };

  let body: ReactNode;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!clue) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else {
    const write = can('clues:write');
    const steps = nextSteps(clue);
    const why: string[] = [];
    if (clue.stage === 'closed') why.push(d.why.closed);
    else {
      if (steps.shelved) why.push(d.why.shelved);
      if (!steps.verify && !steps.close) why.push(d.why.verifyFirst);
      if (!steps.close) why.push(d.why.closeFirst);
    }
    const named = 'named' in clue.reporter ? clue.reporter.named : true;
    const persons = clue.subjects.filter((s) => s.personId);
    const units = clue.subjects.filter((s) => !s.personId);

    body = (
      <Flex vertical gap={12}>
        {write ? (
          <div>
            <Flex gap={8} wrap>
              <Button type={steps.dispose ? 'primary' : 'default'} icon={<SendOutlined />} disabled={!steps.dispose} onClick={() => setForm('dispose')}>
                {d.dispose}
              </Button>
              <Button type={steps.verify ? 'primary' : 'default'} icon={<FileSearchOutlined />} disabled={!steps.verify} onClick={() => setForm('verify')}>
                {d.verify}
              </Button>
              <Button type={steps.close ? 'primary' : 'default'} icon={<CheckCircleOutlined />} disabled={!steps.close} onClick={() => setForm('close')}>
                {d.close}
              </Button>
            </Flex>
            {why.map((w) => (
              <p key={w} className="text-secondary" style={{ margin: '6px 0 0' }}>
                {w}
              </p>
            ))}
          </div>
        ) : null}
        <p className="notice warning" role="note" style={{ margin: 0 }}>
          {ct.list.restricted}
        </p>
        <Card size="small" title={<h2 className="card-heading">{d.basics}</h2>}>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'stage', label: d.stage, children: <Tag color={STAGE_COLOR[clue.stage]}>{clue.stageLabel}</Tag> },
              { key: 'source', label: d.source, children: clue.sourceLabel },
              { key: 'category', label: d.category, children: clue.categoryName ?? none },
              { key: 'receivedOn', label: d.receivedOn, children: formatDate(clue.receivedOn) },
              { key: 'method', label: d.method, children: clue.disposalMethodLabel ?? none },
              { key: 'due', label: d.due, children: formatDate(clue.disposalDue) },
              {
                key: 'stageDue',
                label: d.stageDue,
                children: <span className={clue.overdue ? 'text-danger' : undefined}>{formatDate(clue.stageDue)}{clue.overdue ? ` ${d.overdue}` : ''}</span>,
              },
              { key: 'outcome', label: d.outcome, children: clue.verificationOutcomeLabel ?? none },
              { key: 'verifiedOn', label: d.verifiedOn, children: formatDate(clue.verifiedOn) },
              { key: 'disposition', label: d.disposition, children: clue.dispositionLabel ?? none },
              { key: 'closedOn', label: d.closedOn, children: formatDate(clue.closedOn) },
              {
                key: 'reporter',
                label: d.reporter,
                span: 'filled',
                children: identity ? (
                  <Space size={16} wrap data-testid="reporter">
                    <span>
                      {d.reporterName}：{identity.name ?? none}
                    </span>
                    <span>
                      {d.reporterPhone}：{identity.phone ?? none}
                    </span>
                  </Space>
                ) : named ? (
                  <Space size={12} wrap>
                    {d.reporterHidden}
                    {can('clues:identity') ? (
                      <ConfirmButton title={d.revealConfirm} onConfirm={reveal}>
                        {d.reveal}
                      </ConfirmButton>
                    ) : null}
                  </Space>
                ) : (
                  d.reporterNone
                ),
              },
            ]}
          />
        </Card>
        <Card size="small" title={<h2 className="card-heading">{d.summary}</h2>}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{clue.summary}</Typography.Paragraph>
        </Card>
        <Card size="small" title={<h2 className="card-heading">{d.subjects}</h2>}>
          <Descriptions
            size="small"
            column={1}
            items={[
              ...(persons.length ? [{ key: 'persons', label: d.person, children: persons.map(subjectText).join('、') }] : []),
              ...(units.length ? [{ key: 'units', label: d.unit, children: units.map(subjectText).join('、') }] : []),
            ]}
          />
        </Card>
        <Card size="small" title={<h2 className="card-heading">{d.leniency}</h2>}>
          <Leniency clue={clue} />
        </Card>
        <Card size="small" title={<h2 className="card-heading">{d.history}</h2>}>
          <Timeline
            items={clue.history.map((h, i) => ({
              key: `${h.at}-${i}`,
              title: formatTime(h.at),
              content: (
                <div data-testid="clue-event">
                  <Space size={8} wrap>
                    <Typography.Text strong>{eventText(h.kind)}</Typography.Text>
                    {h.actorName ? <Typography.Text type="secondary">{d.by(h.actorName)}</Typography.Text> : null}
                  </Space>
                  {h.note ? <div style={{ whiteSpace: 'pre-wrap' }}>{h.note}</div> : null}
                </div>
              ),
            }))}
          />
        </Card>
        <Card size="small" title={<h2 className="card-heading">{d.attachments}</h2>}>
          {clue.attachments.length ? (
            <FileLinks files={clue.attachments} label={d.attachments} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={d.noAttachments} />
          )}
        </Card>
      </Flex>
    );
  }

  const close = () => setForm(null);
  return (
    <>
      <Drawer open={Boolean(id)} onClose={onClose} size={Math.min(900, window.innerWidth)} destroyOnHidden title={clue ? d.title(clue.clueNo) : d.loading}>
        {body}
      </Drawer>
      {clue
        ? (Object.keys(STEPS) as FormKind[]).map((k) => {
            const Step = STEPS[k];
            return (
              <OnDemand key={k} open={form === k}>
                <Step clue={clue} open={form === k} onClose={close} onSaved={close} />
              </OnDemand>
            );
          })
        : null}
    </>
  );
}
