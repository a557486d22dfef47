// 分享促学: the daily feed of shares — original-text readings (audio), red stories, what moved people
// most — newest first and grouped by day, each with its author, its player (a listen counted once per
// page view when it starts) and likes. Everyone who studies posts and likes; staff who organise study
// (study:write) hide a share and bring it back. The posting form loads when first opened.
import { lazy, useMemo, useRef, useState } from 'react';
import { Button, Empty, Flex, Tag } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined, LikeFilled, LikeOutlined, PlusOutlined, ReloadOutlined, SoundOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFeedback } from '../../components/feedback.js';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { clock, dayHeading, SHARES_KEY, type Share, type SharePage } from './shared.js';
import { formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, study as st } from '../../i18n/index.js';
import { SHARE_CATEGORIES, type ShareCategory } from '../../../../shared/schemas/study-labels.js';
import '../../components/data-table.css';
import './study.css';

const t = st.shares;
const ShareFormDrawer = lazy(() => import('./ShareForm.js'));
const PAGE_SIZE = 30;
const FILTER_KEYS = ['category', 'status'] as const;
const CATEGORY_COLORS: Record<ShareCategory, string> = { reading: 'blue', red_story: 'red', feeling: 'green', other: 'default' };

export default function SharesPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const [posting, setPosting] = useState(false);
  // Shares listened to in this page view (a listen counts once, even after the feed reloads).
  const played = useRef(new Set<string>());
  const url = useUrlFilters(FILTER_KEYS);
  const { filters } = url;
  const status = can('study:read') && filters.status === 'hidden' ? 'hidden' : undefined;
  const category = filters.category as ShareCategory | undefined;

  const feed = useInfiniteQuery({
    queryKey: [SHARES_KEY, { status, category, pageSize: PAGE_SIZE }],
    queryFn: ({ pageParam }) => api.get<SharePage>(SHARES_KEY + qs({ status, category, page: pageParam, pageSize: PAGE_SIZE })),
    initialPageParam: 1,
    getNextPageParam: (last, all) => (all.length * PAGE_SIZE < last.total ? all.length + 1 : undefined),
  });
  const pages = feed.data?.pages ?? [];
  const campaignId = pages[0]?.campaignId ?? null;
  const loaded = useMemo(() => pages.flatMap((p) => p.items), [pages]);
  const shown = loaded;
  const days = useMemo(() => {
    const out: { day: string; items: Share[] }[] = [];
    for (const s of shown) {
      const last = out.at(-1);
      if (last?.day === s.publishedOn) last.items.push(s);
      else out.push({ day: s.publishedOn, items: [s] });
    }
    return out;
  }, [shown]);

  const defs: FilterDef[] = [
    ...(can('study:read')
      ? [{ kind: 'tabs' as const, name: 'status', label: t.view, options: [{ value: '', label: t.published }, { value: 'hidden', label: t.hidden }] }]
      : []),
    { kind: 'select', name: 'category', label: t.category, options: Object.entries(SHARE_CATEGORIES).map(([value, label]) => ({ value, label })), width: 150 },
  ];

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
              loading={feed.isFetching && !feed.isLoading}
              onClick={() => void feed.refetch()}
            />
            {can('study:take') && campaignId ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setPosting(true)}>
                {t.add}
              </Button>
            ) : null}
          </>
        }
      />
      <section className="panel" aria-label={t.feed}>
        <FilterBar
          defs={defs}
          filters={filters}
          onChange={(patch) => url.set(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === undefined ? null : String(v)])))}
          onReset={() => url.set({ category: null })}
        />
        {feed.isError ? <LoadFailed error={feed.error} onRetry={() => void feed.refetch()} /> : null}
        {feed.isPending ? (
          <div className="boot-spinner" role="status">
            <span className="sr-only">{common.loading}</span>
          </div>
        ) : !shown.length ? (
          <Empty description={category ? t.emptyCategory : t.empty} />
        ) : (
          <div className="share-feed">
            {days.map((g) => (
              <section key={g.day} aria-labelledby={`share-day-${g.day}`}>
                <h2 id={`share-day-${g.day}`} className="share-day">
                  {dayHeading(g.day, st.common)}
                </h2>
                {g.items.map((s) => (
                  <ShareCard
                    // A reloaded feed with other counts shows them.
                    key={`${s.id}-${s.likes}-${s.likedByMe}-${s.plays}`}
                    share={s}
                    hiddenView={status === 'hidden'}
                    mayHide={s.canManage}
                    played={played.current}
                    onStatusChanged={() => void invalidate(SHARES_KEY)}
                  />
                ))}
              </section>
            ))}
          </div>
        )}
        {feed.hasNextPage ? (
          <Flex justify="center" style={{ marginTop: 12 }}>
            <Button loading={feed.isFetchingNextPage} onClick={() => void feed.fetchNextPage()}>
              {t.more}
            </Button>
          </Flex>
        ) : loaded.length > PAGE_SIZE ? (
          <p className="text-secondary small-text" style={{ textAlign: 'center' }}>
            {t.end}
          </p>
        ) : null}
      </section>
      <OnDemand open={posting}>
        {campaignId ? (
          <ShareFormDrawer
            open={posting}
            campaignId={campaignId}
            onClose={() => setPosting(false)}
            onSaved={() => {
              setPosting(false);
              void invalidate(SHARES_KEY);
            }}
          />
        ) : null}
      </OnDemand>
    </>
  );
}

/** One share: who, when, what (text or a player), likes and listens, and the staff's hide or unhide. */
function ShareCard({ share, hiddenView, mayHide, played, onStatusChanged }: {
  share: Share;
  hiddenView: boolean;
  /** The viewer may hide or restore it (study:write, the share's unit in their scope). */
  mayHide: boolean;
  played: Set<string>;
  onStatusChanged: () => void;
}) {
  const can = useCan();
  const { message } = useFeedback();
  const showError = useApiError();
  // Likes and listens change here at once; the feed is not refetched for them.
  const [likes, setLikes] = useState({ count: share.likes, mine: share.likedByMe });
  const [plays, setPlays] = useState(share.plays);
  const [busy, setBusy] = useState(false);

  const toggleLike = async () => {
    setBusy(true);
    try {
      const r = likes.mine
        ? await api.del<{ likes: number; likedByMe: boolean }>(`${SHARES_KEY}/${share.id}/like`)
        : await api.post<{ likes: number; likedByMe: boolean }>(`${SHARES_KEY}/${share.id}/like`);
      setLikes({ count: r.likes, mine: r.likedByMe });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  const onPlay = () => {
    // One listen per page view, however often it is paused and resumed.
    if (played.has(share.id) || hiddenView) return;
    played.add(share.id);
    api
      .post<{ plays: number }>(`${SHARES_KEY}/${share.id}/play`)
      .then((r) => setPlays(r.plays))
      .catch(() => undefined);
  };
  const setStatus = async (to: 'hide' | 'unhide') => {
    try {
      await api.post(`${SHARES_KEY}/${share.id}/${to}`);
      message.success(to === 'hide' ? t.hiddenDone : t.unhiddenDone);
      onStatusChanged();
    } catch (err) {
      showError(err);
      throw err;
    }
  };

  return (
    <article className="share-card" aria-labelledby={`share-${share.id}`}>
      <header className="share-head">
        <Tag color={CATEGORY_COLORS[share.category]}>{share.categoryLabel}</Tag>
        <h3 id={`share-${share.id}`} className="share-title">
          {share.title}
        </h3>
      </header>
      <p className="share-meta">
        {t.by(share.authorName, share.orgUnitName)} · <time dateTime={share.publishedAt} title={formatTime(share.publishedAt)}>{clock(share.publishedAt)}</time>
        {share.mine ? <Tag style={{ marginInlineStart: 8 }}>{t.mine}</Tag> : null}
      </p>
      {share.body ? <p className="share-body">{share.body}</p> : null}
      {share.audioUrl ? (
        <audio className="share-audio" controls preload="none" src={share.audioUrl} aria-label={t.audioOf(share.title)} onPlay={onPlay} />
      ) : null}
      <Flex className="share-actions" gap={16} align="center" wrap>
        {can('study:take') && !hiddenView ? (
          <button
            type="button"
            className={likes.mine ? 'like-button liked' : 'like-button'}
            aria-pressed={likes.mine}
            disabled={busy}
            onClick={() => void toggleLike()}
          >
            {/* Named by what it shows (点赞 and the count); the article around it names the share. */}
            {likes.mine ? <LikeFilled aria-hidden /> : <LikeOutlined aria-hidden />} {t.like} <span className="like-count">{likes.count}</span>
          </button>
        ) : (
          <span className="text-secondary">
            <LikeOutlined aria-hidden /> <span className="sr-only">{t.like}</span>
            {likes.count}
          </span>
        )}
        {share.kind === 'audio' ? (
          <span className="text-secondary">
            <SoundOutlined aria-hidden /> <span className="share-plays">{t.plays(plays)}</span>
          </span>
        ) : null}
        {mayHide ? (
          hiddenView ? (
            <ConfirmButton icon={<EyeOutlined aria-hidden />} title={t.unhide} onConfirm={() => setStatus('unhide')}>
              {' '}
              {t.unhide}
            </ConfirmButton>
          ) : (
            <ConfirmButton danger icon={<EyeInvisibleOutlined aria-hidden />} title={t.hideConfirm} onConfirm={() => setStatus('hide')}>
              {' '}
              {t.hide}
            </ConfirmButton>
          )
        ) : null}
      </Flex>
    </article>
  );
}
