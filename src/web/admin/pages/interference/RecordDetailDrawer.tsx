// One restricted record: what the list showed, and its content only after an explicit 查看记录内容 — the
// server audits that opening (who, when, which record). Closing forgets the content.
import { useState } from 'react';
import { Button, Descriptions, Drawer, Flex } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { formatDateTime } from '../../components/format.js';
import { useApiError } from '../../components/useApiError.js';
import { interference as it } from '../../i18n/index.js';
import { RecordContent } from './RecordContent.js';
import type { RecordDetail, RecordRow } from './shared.js';

const l = it.records;
const r = it.record;

export default function RecordDetailDrawer({ id, row, onClose }: { id: string | null; row: RecordRow | null; onClose: () => void }) {
  const showError = useApiError();
  const [detail, setDetail] = useState<RecordDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [shownFor, setShownFor] = useState(id);
  if (shownFor !== id) {
    setShownFor(id);
    setDetail(null);
  }
  const reveal = async () => {
    if (!id) return;
    setBusy(true);
    try {
      setDetail(await api.get<RecordDetail>(`/api/interference/records/${id}`));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  const brief = detail ?? row;
  return (
    <Drawer open={id !== null} size={Math.min(680, window.innerWidth)} title={l.detailTitle(brief?.recordNo ?? '')} onClose={onClose} destroyOnHidden>
      <Flex vertical gap={16}>
        {brief ? (
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'period', label: l.period, children: brief.periodLabel },
              { key: 'when', label: r.occurredAt, children: formatDateTime(brief.occurredAt) },
              { key: 'recorder', label: r.recorder, children: `${brief.recorderName}（${brief.orgUnitName}）` },
            ]}
          />
        ) : null}
        {detail ? (
          <RecordContent record={detail} />
        ) : (
          <div className="notice warning">
            <p style={{ marginTop: 0 }}>{l.revealHelp}</p>
            <Button type="primary" icon={<EyeOutlined />} loading={busy} onClick={() => void reveal()}>
              {l.reveal}
            </Button>
          </div>
        )}
      </Flex>
    </Drawer>
  );
}
