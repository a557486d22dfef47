// 扫码签到: what a phone opens after scanning the code shown at a session, /study/checkin?a=<activity>&c=<code>.
// Signed out, the app's sign-in brings the officer back to this very address (App.tsx keeps it), and the
// check-in is sent at once: one big answer — 签到成功 with the activity and its hours, 已签到, or the
// server's reason (an expired code: scan the one on the screen now). Without an address: how to check in.
// Phone first (375 px), plain markup and CSS (no icon library: the frame's chunks stay as they are).
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useInvalidate } from '../../components/useList.js';
import { study as st } from '../../i18n/index.js';
import { CHECKIN_KEY, MY_ACTIVITIES_KEY, type CheckinResult } from './shared.js';
import './study.css';

const t = st.checkin;

type Outcome = { kind: 'working' } | { kind: 'done'; result: CheckinResult } | { kind: 'failed'; message: string; expired: boolean };

export default function CheckinPage() {
  const [params] = useSearchParams();
  const activityId = params.get('a')?.trim() ?? '';
  const code = params.get('c')?.trim() ?? '';
  const given = Boolean(activityId && code);
  return (
    <div className="checkin-page">
      <PageHeader subTitle={t.subTitle} />
      {given ? <CheckinOutcome key={`${activityId}/${code}`} activityId={activityId} code={code} /> : <HowTo />}
    </div>
  );
}

function CheckinOutcome({ activityId, code }: { activityId: string; code: string }) {
  const invalidate = useInvalidate();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'working' });
  // Sent once per address opened (a second render or React's double effect must not send it again).
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    api
      .post<CheckinResult>(CHECKIN_KEY, { activityId, code })
      .then((result) => {
        setOutcome({ kind: 'done', result });
        void invalidate(MY_ACTIVITIES_KEY);
      })
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        setOutcome({ kind: 'failed', message, expired: /过期|最新二维码/.test(message) });
      });
  }, [activityId, code, invalidate]);

  if (outcome.kind === 'working') {
    return (
      <section className="checkin-result working" role="status" aria-live="polite">
        <span className="checkin-icon spinning" aria-hidden="true" />
        <p className="checkin-heading">{t.working}</p>
      </section>
    );
  }
  if (outcome.kind === 'failed') {
    return (
      <section className="checkin-result failed" role="alert">
        <span className="checkin-icon" aria-hidden="true">
          ✕
        </span>
        <h2 className="checkin-heading">{outcome.expired ? t.expired : t.failed}</h2>
        <p className="checkin-text">{outcome.message}</p>
        {outcome.expired ? null : <p className="checkin-text secondary">{t.retryHint}</p>}
        <Link className="plain-button block" to="/study/my">
          {t.myStudy}
        </Link>
      </section>
    );
  }
  const r = outcome.result;
  return (
    <section className={r.already ? 'checkin-result already' : 'checkin-result success'} role="status" aria-live="polite">
      <span className="checkin-icon" aria-hidden="true">
        {r.already ? 'i' : '✓'}
      </span>
      <h2 className="checkin-heading">{r.already ? t.already : t.success}</h2>
      <p className="checkin-title">{r.title}</p>
      <p className="checkin-text">
        {r.heldOn} · {t.hours(r.hours)}
      </p>
      {r.already ? <p className="checkin-text secondary">{t.alreadyText}</p> : null}
      {!r.expected && !r.already ? <p className="checkin-text secondary">{t.notExpected}</p> : null}
      <Link className="plain-button primary block" to="/study/my">
        {t.myStudy}
      </Link>
    </section>
  );
}

function HowTo() {
  return (
    <section className="panel checkin-how" aria-labelledby="checkin-how">
      <h2 id="checkin-how" className="checkin-how-title">
        {t.howTitle}
      </h2>
      <ol>
        {t.how.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
      <Link className="plain-button block" to="/study/my">
        {t.myStudy}
      </Link>
    </section>
  );
}
