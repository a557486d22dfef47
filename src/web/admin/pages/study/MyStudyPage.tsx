// 我的学习: the officer's own study in a campaign — the hours credited so far in one big figure, the
// activities they are expected at or attended (coming, open for check-in, attended and how, missed),
// 观评 to write or correct for an important event they followed, their reviews, and the way to their
// exams, learning archive and the share feed. The review form loads when first opened.
import { lazy, useState } from 'react';
import { Link } from 'react-router';
import { Button, Tag } from 'antd';
import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, qs, type Page } from '../../api.js';
import '../../components/data-table.css';
import { FilterBar } from '../../components/FilterBar.js';
import { formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { Panel } from '../../components/Panel.js';
import { Figure } from '../../components/StatCards.js';
import { useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { common, study as st } from '../../i18n/index.js';
import { ATTENDANCE_METHODS, type StudyMode } from '../../../../shared/schemas/study-labels.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { MODE_COLORS, MY_ACTIVITIES_KEY, MY_REVIEWS_KEY, timeRange, type MyActivity, type MyActivityPage, type Review, type ReviewTarget } from './shared.js';
import './study.css';

const t = st.my;
const ReviewModal = lazy(() => import('./ReviewForm.js'));

export default function MyStudyPage() {
  const [campaign, setCampaign] = useState<string>();
  const [reviewing, setReviewing] = useState<ReviewTarget | null>(null);
  const [open, setOpen] = useState(false);
  const list = useList<MyActivity, MyActivityPage>(MY_ACTIVITIES_KEY, { filters: campaign ? { campaignId: campaign } : {}, pageSize: 20 });
  const { defaultId } = useShownCampaign(campaign, list.query.isPlaceholderData ? undefined : list.data?.campaignId);
  const { data: campaigns = [] } = useCampaigns();
  // Every review of one's own: few per person (one per important event followed).
  const reviews = useQuery({
    queryKey: [MY_REVIEWS_KEY, { pageSize: 200 }],
    queryFn: () => api.get<Page<Review>>(MY_REVIEWS_KEY + qs({ pageSize: 200 })),
  });
  const reviewOf = new Map((reviews.data?.items ?? []).map((r) => [r.activityId, r]));
  const data = list.data;
  const now = Date.now();

  const review = (target: ReviewTarget) => {
    setReviewing(target);
    setOpen(true);
  };

  const stateTag = (r: MyActivity) =>
    r.attended ? (
      <Tag color="green">{t.attendedBy(r.method ? ATTENDANCE_METHODS[r.method] : '')}</Tag>
    ) : r.checkin === 'open' ? (
      <Tag color="blue">{t.open}</Tag>
    ) : r.checkin === 'not_open' ? (
      <Tag>{t.upcoming}</Tag>
    ) : (
      <Tag color="default">{t.missed}</Tag>
    );
  const reviewButton = (r: MyActivity) => {
    // A review follows watching: open once the event has begun.
    if (r.mode !== 'event_follow' || Date.parse(r.startsAt) > now) return null;
    const mine = reviewOf.get(r.id) ?? null;
    return (
      <button
        type="button"
        className="link-action"
        aria-label={mine ? t.editReviewOf(r.title) : t.reviewOf(r.title)}
        onClick={() => review({ activityId: r.id, activityTitle: r.title, review: mine })}
      >
        <EditOutlined aria-hidden /> {mine ? t.editReview : t.writeReview}
      </button>
    );
  };

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <>
            <Button
              icon={<ReloadOutlined />}
              aria-label={common.refresh}
              title={common.refresh}
              loading={list.query.isFetching && !list.query.isLoading}
              onClick={() => {
                void list.reload();
                void reviews.refetch();
              }}
            />
            <Link className="plain-action study-link" to="/study/my-exams">
              {t.myExams}
            </Link>
            <Link className="plain-action study-link" to="/study/archive">
              {t.archive}
            </Link>
            <Link className="plain-action study-link" to="/study/shares">
              {t.shares}
            </Link>
            <Link className="plain-action study-link" to="/study/checkin">
              {t.checkin}
            </Link>
          </>
        }
      />
      <div className="stack">
        <section className="panel" aria-label={t.hoursTotal}>
          <FilterBar
            defs={[campaignFilter(campaigns, defaultId)]}
            filters={campaign ? { campaignId: campaign } : {}}
            onChange={(p) => setCampaign(p.campaignId === undefined ? undefined : String(p.campaignId))}
            onReset={() => setCampaign(undefined)}
          />
          <div className="my-figures">
            <div className="my-hours">
              <Figure title={t.hoursTotal} value={data ? data.hoursTotal : '—'} suffix={st.activities.hours} />
            </div>
            <Figure title={t.attended} value={data ? data.attended : '—'} />
            <Figure title={t.reviewsCount} value={reviews.data ? reviews.data.total : '—'} />
          </div>
        </section>
        <Panel title={t.activities}>
          {list.query.isError ? <LoadFailed error={list.query.error} onRetry={() => void list.reload()} /> : null}
          {/* Cards rather than a table: most officers open this on a phone. */}
          <ul className="my-activities" aria-label={t.activitiesTable} aria-busy={list.query.isFetching || undefined}>
            {list.items.map((r) => (
              <li key={r.id} className="my-activity">
                <div className="my-activity-main">
                  <p className="my-activity-title">
                    <Tag color={MODE_COLORS[r.mode as StudyMode]}>{r.modeLabel}</Tag>
                    <span>{r.title}</span>
                  </p>
                  <p className="text-secondary my-activity-meta">
                    {timeRange(r.startsAt, r.endsAt)}
                    {r.place ? ` · ${r.place}` : ''}
                  </p>
                </div>
                <div className="my-activity-side">
                  {stateTag(r)}
                  {r.attended ? <span className="text-secondary">{st.checkin.hours(r.hoursCredited)}</span> : null}
                  {reviewButton(r)}
                </div>
              </li>
            ))}
          </ul>
          {list.query.isSuccess && !list.items.length ? <p className="text-secondary">{t.noActivities}</p> : null}
          {list.query.isPending ? <p className="text-secondary">{common.loading}</p> : null}
          {list.total > list.pageSize ? <Pager {...list.pager} /> : null}
        </Panel>
        <Panel title={t.myReviews}>
          {reviews.isError ? <LoadFailed error={reviews.error} onRetry={() => void reviews.refetch()} /> : null}
          {reviews.data && !reviews.data.items.length ? <p className="text-secondary">{t.noReviews}</p> : null}
          <ul className="my-reviews">
            {(reviews.data?.items ?? []).map((r) => (
              <li key={r.id}>
                <article aria-labelledby={`review-${r.id}`}>
                  <header className="my-review-head">
                    <h3 id={`review-${r.id}`}>{r.activityTitle}</h3>
                    <span className="text-secondary small-text">{formatTime(r.updatedAt)}</span>
                    <button
                      type="button"
                      className="link-action"
                      aria-label={t.editReviewOf(r.activityTitle)}
                      onClick={() => review({ activityId: r.activityId, activityTitle: r.activityTitle, review: r })}
                    >
                      <EditOutlined aria-hidden /> {t.editReview}
                    </button>
                  </header>
                  <p className="study-pre">{r.body}</p>
                </article>
              </li>
            ))}
          </ul>
        </Panel>
      </div>
      <OnDemand open={open}>
        {reviewing ? (
          <ReviewModal
            open={open}
            target={reviewing}
            onClose={() => setOpen(false)}
            onSaved={() => {
              setOpen(false);
              void reviews.refetch();
            }}
          />
        ) : null}
      </OnDemand>
    </>
  );
}
