// 现场签到二维码: shown on the room's screen during a session. The server's code changes every 30
// seconds (the last one still counts for 30 more), so it is fetched again every 10 seconds: the code on
// the screen is always good for at least 20 seconds more, whatever the clocks say. Big enough to scan
// from the back of the room (and full screen on request), with the activity's title and how many have
// checked in so far (every few seconds).
import { useEffect, useRef, useState } from 'react';
import { Button, Flex, Modal } from 'antd';
import { FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { study as st } from '../../i18n/index.js';
import { ACTIVITIES_KEY, type ActivityDetail, type CheckinCode } from './shared.js';

const q = st.qr;
const CODE_EVERY_MS = 10_000;
const COUNT_EVERY_MS = 4_000;

export default function CheckinQrModal({ open, activityId, title, onClose }: { open: boolean; activityId: string; title: string; onClose: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);
  const code = useQuery({
    queryKey: [`${ACTIVITIES_KEY}/${activityId}/checkin-code`],
    queryFn: () => api.get<CheckinCode>(`${ACTIVITIES_KEY}/${activityId}/checkin-code`),
    enabled: open,
    refetchInterval: open ? CODE_EVERY_MS : false,
    refetchIntervalInBackground: true,
    // A code is never shown from an earlier opening.
    gcTime: 0,
  });
  // The activity's own query: the drawer behind shows the same live count.
  const live = useQuery({
    queryKey: [`${ACTIVITIES_KEY}/${activityId}`],
    queryFn: () => api.get<ActivityDetail>(`${ACTIVITIES_KEY}/${activityId}`),
    enabled: open,
    refetchInterval: open ? COUNT_EVERY_MS : false,
    refetchIntervalInBackground: true,
  });
  const c = code.data;
  const a = live.data;
  useEffect(() => {
    const onChange = () => setFull(document.fullscreenElement !== null && document.fullscreenElement === box.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const toggleFull = async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await box.current?.requestFullscreen();
    } catch {
      // Not allowed here (an embedded view): the modal is large anyway.
    }
  };

  return (
    <Modal
      open={open}
      title={q.title}
      onCancel={onClose}
      footer={null}
      width={Math.min(860, window.innerWidth)}
      centered
      destroyOnHidden
    >
      <div ref={box} className="qr-box">
        <p className="qr-title">{title}</p>
        {code.isError ? (
          <LoadFailed error={code.error} onRetry={() => void code.refetch()} />
        ) : !c ? (
          <div className="qr-image qr-placeholder">{q.loading}</div>
        ) : (
          <>
            {c.state === 'not_open' ? <p className="notice warning">{q.notOpen(formatTime(c.opensAt))}</p> : null}
            {c.state === 'closed' ? <p className="notice warning">{q.closed}</p> : null}
            <img
              className={c.state === 'open' ? 'qr-image' : 'qr-image dim'}
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg)}`}
              alt={q.alt(title)}
              data-code={c.code}
            />
          </>
        )}
        <p className="qr-count" role="status" aria-live="polite">
          {a ? q.count(a.attendedCount, a.expectedCount) : '\u00a0'}
        </p>
        <p className="qr-hint">{q.hint}</p>
        <Flex justify="center">
          <Button icon={full ? <FullscreenExitOutlined /> : <FullscreenOutlined />} onClick={() => void toggleFull()}>
            {full ? q.exitFullscreen : q.fullscreen}
          </Button>
        </Flex>
      </div>
    </Modal>
  );
}
