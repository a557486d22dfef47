// One study activity in full, loaded when first opened: what, when, where, who speaks, the materials,
// who is expected; the attendance (who, expected or not, how, when; 撤销), the expected people still
// absent, the 观评 of an important-event follow-up; and for its organisers 编辑, 名单登记 and the
// live 现场签到二维码. Also the drawer of a morning-sharing series: its speaker rota and next sessions.
import { lazy, useEffect, useState, type ReactNode } from 'react';
import { Button, Card, Descriptions, Drawer, Flex, Skeleton, Tag, Typography } from 'antd';
import { EditOutlined, QrcodeOutlined, SolutionOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable } from '../../components/DataTable.js';
import { useFeedback } from '../../components/feedback.js';
import { FileLinks } from '../../components/FileLinks.js';
import { formatDate, formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { Pager } from '../../components/Pager.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { study as st } from '../../i18n/index.js';
import { LINK_KINDS } from '../../../../shared/schemas/study-labels.js';
import { useCampaigns } from '../rectification/shared.js';
import {
  ACTIVITIES_KEY, MODE_COLORS, MY_ACTIVITIES_KEY, SERIES_KEY, STATS_KEY, timeRange,
  type AbsentRow, type ActivityDetail, type AttendanceRow, type Review, type SeriesDetail,
} from './shared.js';

const d = st.detail;
const none = st.common.none;
const forms = () => import('./ActivityForms.js');
const ActivityFormDrawer = lazy(() => forms().then((m) => ({ default: m.ActivityFormDrawer })));
const AttendanceModal = lazy(() => forms().then((m) => ({ default: m.AttendanceModal })));
const CheckinQrModal = lazy(() => import('./CheckinQrModal.js'));

type Part = 'edit' | 'register' | 'qr';

function Section({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Card size="small" title={<h2 className="card-heading">{title}</h2>}>
      {children}
    </Card>
  );
}

const text = (v: string | null) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{v || none}</Typography.Paragraph>;

export function ActivityDrawer({ id, onClose, onOpenSeries }: { id: string | null; onClose: () => void; onOpenSeries: (id: string) => void }) {
  const can = useCan();
  const invalidate = useInvalidate();
  const [part, setPart] = useState<Part | null>(null);
  const query = useQuery({
    queryKey: [`${ACTIVITIES_KEY}/${id}`],
    queryFn: () => api.get<ActivityDetail>(`${ACTIVITIES_KEY}/${id}`),
    enabled: Boolean(id),
  });
  const a = query.data;
  // A form belongs to the activity it was opened on.
  useEffect(() => setPart(null), [id]);
  const { data: campaigns = [] } = useCampaigns();

  let body: ReactNode;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!a || a.id !== id) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else {
    const write = can('study:write');
    body = (
      <Flex vertical gap={12}>
        {write || a.seriesId ? (
          <Flex gap={8} wrap>
            {write ? (
              <>
                <Button type={a.checkin === 'open' ? 'primary' : 'default'} icon={<QrcodeOutlined />} onClick={() => setPart('qr')}>
                  {d.qr}
                </Button>
                <Button icon={<SolutionOutlined />} onClick={() => setPart('register')}>
                  {d.register}
                </Button>
                <Button icon={<EditOutlined />} onClick={() => setPart('edit')}>
                  {d.edit}
                </Button>
              </>
            ) : null}
            {a.seriesId ? (
              <Button icon={<UnorderedListOutlined />} onClick={() => onOpenSeries(a.seriesId!)}>
                {d.openSeries}
              </Button>
            ) : null}
          </Flex>
        ) : null}
        <Section title={d.basics}>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'mode', label: d.mode, children: <Tag color={MODE_COLORS[a.mode]}>{a.modeLabel}</Tag> },
              { key: 'time', label: d.time, children: timeRange(a.startsAt, a.endsAt) },
              { key: 'place', label: d.place, children: a.place ?? none },
              { key: 'organiser', label: d.organiser, children: a.orgUnitName },
              { key: 'partyOrg', label: d.partyOrg, children: a.partyOrgName ?? none },
              { key: 'topic', label: d.topic, children: a.topicTitle ?? none },
              { key: 'speaker', label: d.speaker, children: a.speaker ?? none },
              { key: 'hours', label: d.hours, children: a.hours },
              { key: 'expected', label: d.expected, children: st.common.people(a.expectedCount) },
              { key: 'attended', label: d.attended, children: <span data-testid="attended-count">{st.common.people(a.attendedCount)}</span> },
              { key: 'expectedAttended', label: d.expectedAttended, children: st.common.people(a.expectedAttended) },
              { key: 'rate', label: d.rate, children: st.common.percent(a.attendanceRate) },
              { key: 'checkin', label: d.checkin, children: d.checkinState[a.checkin] ?? a.checkin },
            ]}
          />
        </Section>
        <Section title={d.summary}>{text(a.summary)}</Section>
        {a.links.length || a.attachments.length ? (
          <Section title={d.materials}>
            <Flex vertical gap={8}>
              {a.links.length ? (
                <ul className="plain-list">
                  {a.links.map((l, i) => (
                    <li key={i}>
                      <Tag>{LINK_KINDS[l.kind] ?? l.kind}</Tag>
                      <a href={l.url} target="_blank" rel="noopener noreferrer">
                        {l.title}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
              <FileLinks files={a.attachments} label={d.attachments} />
            </Flex>
          </Section>
        ) : null}
        <Section title={d.targets}>
          <Flex gap={4} wrap>
            {a.targets.map((x) => (
              <Tag key={`${x.kind}-${x.id}`} color={x.kind === 'unit' ? 'blue' : undefined}>
                {x.kind === 'unit' ? `${d.targetUnit}：` : ''}
                {x.name ?? x.id}
              </Tag>
            ))}
          </Flex>
        </Section>
        {a.access === 'staff' ? (
          <>
            <Attendance activity={a} canWrite={write} />
            <Absent id={a.id} />
            {a.mode === 'event_follow' ? <Reviews id={a.id} /> : null}
          </>
        ) : null}
      </Flex>
    );
  }

  return (
    <Drawer open={Boolean(id)} title={a && a.id === id ? a.title : d.title} size={Math.min(900, window.innerWidth)} onClose={onClose} destroyOnHidden>
      {body}
      {a && a.id === id ? (
        <>
          <OnDemand open={part === 'edit'}>
            <ActivityFormDrawer
              open={part === 'edit'}
              target={{ kind: 'edit', activity: a }}
              campaigns={campaigns}
              onClose={() => setPart(null)}
              onSaved={() => setPart(null)}
            />
          </OnDemand>
          <OnDemand open={part === 'register'}>
            <AttendanceModal open={part === 'register'} activityId={a.id} onClose={() => setPart(null)} onSaved={() => setPart(null)} />
          </OnDemand>
          <OnDemand open={part === 'qr'}>
            <CheckinQrModal
              open={part === 'qr'}
              activityId={a.id}
              title={a.title}
              onClose={() => {
                setPart(null);
                // People checked in while the code was up: the lists behind it are stale.
                void invalidate(`${ACTIVITIES_KEY}/${a.id}`, MY_ACTIVITIES_KEY, STATS_KEY);
              }}
            />
          </OnDemand>
        </>
      ) : null}
    </Drawer>
  );
}

/** Who attended, latest first, each marked expected or not; the organiser may take one back. */
function Attendance({ activity, canWrite }: { activity: ActivityDetail; canWrite: boolean }) {
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const list = useList<AttendanceRow>(`${ACTIVITIES_KEY}/${activity.id}/attendance`, { pageSize: 10 });
  const remove = async (r: AttendanceRow) => {
    try {
      await api.del(`${ACTIVITIES_KEY}/${activity.id}/attendance/${r.personId}`);
      message.success(d.removed);
      void invalidate(ACTIVITIES_KEY, MY_ACTIVITIES_KEY, STATS_KEY);
    } catch (err) {
      showError(err);
      throw err;
    }
  };
  return (
    <Section title={`${d.attendanceList}（${list.total}）`}>
      <DataTable<AttendanceRow>
        size="small"
        caption={d.attendanceTable}
        rowKey="personId"
        minWidth={640}
        {...list.tableProps}
        sort={undefined}
        onSort={undefined}
        emptyText={list.tableProps.emptyText ?? d.noAttendance}
        columns={[
          { title: d.name, dataIndex: 'name', width: 90 },
          { title: d.orgUnit, dataIndex: 'orgUnitName', ellipsis: true },
          {
            title: d.inExpected,
            dataIndex: 'expected',
            width: 80,
            render: (v: boolean) => (v ? <Tag color="green">{d.inExpected}</Tag> : <Tag>{d.notExpected}</Tag>),
          },
          { title: d.method, dataIndex: 'methodLabel', width: 90 },
          { title: d.checkedAt, dataIndex: 'checkedAt', width: 140, render: (v: string) => formatTime(v) },
          { title: d.hours, dataIndex: 'hours', width: 56, align: 'right' },
          ...(canWrite
            ? [{
                title: st.supervision.actions,
                key: 'actions',
                width: 64,
                render: (_: unknown, r: AttendanceRow) => (
                  <ConfirmButton danger title={d.removeConfirm(r.name)} onConfirm={() => remove(r)}>
                    {d.remove}
                  </ConfirmButton>
                ),
              }]
            : []),
        ]}
      />
      {list.total > list.pageSize ? <Pager {...list.pager} sizes={[10, 20, 50]} /> : null}
    </Section>
  );
}

/** Expected serving people who have not attended (in the viewer's scope). */
function Absent({ id }: { id: string }) {
  const list = useList<AbsentRow>(`${ACTIVITIES_KEY}/${id}/absent`, { pageSize: 10 });
  return (
    <Section title={`${d.absentList}（${list.total}${list.capped ? '+' : ''}）`}>
      <DataTable<AbsentRow>
        size="small"
        caption={d.absentTable}
        rowKey="personId"
        {...list.tableProps}
        sort={undefined}
        onSort={undefined}
        emptyText={list.tableProps.emptyText ?? d.allPresent}
        columns={[
          { title: d.name, dataIndex: 'name', width: 120 },
          { title: d.orgUnit, dataIndex: 'orgUnitName' },
        ]}
      />
      {list.total > list.pageSize ? <Pager {...list.pager} sizes={[10, 20, 50]} /> : null}
    </Section>
  );
}

/** 观评 of an important-event follow-up, by people in the viewer's scope. */
function Reviews({ id }: { id: string }) {
  const list = useList<Review>(`${ACTIVITIES_KEY}/${id}/reviews`, { pageSize: 10 });
  return (
    <Section title={`${d.reviews}（${list.total}）`}>
      <DataTable<Review>
        size="small"
        caption={d.reviewsTable}
        {...list.tableProps}
        sort={undefined}
        onSort={undefined}
        emptyText={list.tableProps.emptyText ?? d.noReviews}
        expandable={{ label: d.expandReview, expandedRowRender: (r) => <div className="study-pre">{r.body}</div> }}
        columns={[
          { title: d.reviewer, dataIndex: 'personName', width: 90 },
          { title: d.orgUnit, dataIndex: 'orgUnitName', width: 140, ellipsis: true },
          { title: d.reviews, dataIndex: 'body', ellipsis: true },
          { title: d.submittedAt, dataIndex: 'submittedAt', width: 140, render: (v: string) => formatTime(v) },
        ]}
      />
      {list.total > list.pageSize ? <Pager {...list.pager} sizes={[10, 20, 50]} /> : null}
    </Section>
  );
}

/** A series: its period, daily time, the speaker rota in order, and the sessions still to come. */
export function SeriesDrawer({ id, onClose, onOpenActivity }: { id: string | null; onClose: () => void; onOpenActivity: (id: string) => void }) {
  const s = st.series;
  const query = useQuery({ queryKey: [`${SERIES_KEY}/${id}`], queryFn: () => api.get<SeriesDetail>(`${SERIES_KEY}/${id}`), enabled: Boolean(id) });
  const x = query.data;
  let body: ReactNode;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!x || x.id !== id) body = <Skeleton active />;
  else
    body = (
      <Flex vertical gap={12}>
        <Descriptions
          size="small"
          bordered
          column={1}
          items={[
            { key: 'mode', label: d.mode, children: x.modeLabel },
            { key: 'period', label: s.period, children: `${formatDate(x.startsOn)} 至 ${formatDate(x.endsOn)}` },
            { key: 'time', label: d.time, children: s.everyDay(x.startTime, x.minutes) },
            { key: 'sessions', label: s.sessionsLabel, children: s.sessions(x.sessions, x.held) },
          ]}
        />
        <Section title={s.rotaTable}>
          <DataTable
            size="small"
            caption={s.rotaTable}
            rowKey="order"
            dataSource={x.rota}
            columns={[
              { title: s.order, dataIndex: 'order', width: 64 },
              { title: d.name, dataIndex: 'name', render: (v: string | null) => v ?? none },
              { title: d.orgUnit, dataIndex: 'orgUnitName', render: (v: string | null) => v ?? none },
            ]}
          />
        </Section>
        <Section title={s.upcoming}>
          <DataTable
            size="small"
            caption={s.upcomingTable}
            dataSource={x.upcoming}
            emptyText={s.noUpcoming}
            columns={[
              { title: st.activities.date, dataIndex: 'heldOn', width: 104 },
              {
                title: st.activities.title,
                dataIndex: 'title',
                render: (v: string, r) => (
                  <button type="button" className="link-button" onClick={() => onOpenActivity(r.id)}>
                    {v}
                  </button>
                ),
              },
              { title: d.speaker, dataIndex: 'speaker', width: 90, render: (v: string | null) => v ?? none },
            ]}
          />
        </Section>
      </Flex>
    );
  return (
    <Drawer open={Boolean(id)} title={x && x.id === id ? x.title : s.drawerTitle} size={Math.min(720, window.innerWidth)} onClose={onClose} destroyOnHidden>
      {body}
    </Drawer>
  );
}
