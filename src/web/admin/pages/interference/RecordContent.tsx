// A record's content as its recorder wrote it: shown to the recorder, and to a reader after an audited opening.
import { Descriptions } from 'antd';
import { FileLinks } from '../../components/FileLinks.js';
import { formatDateTime } from '../../components/format.js';
import { interference as it } from '../../i18n/index.js';
import type { RecordDetail } from './shared.js';

const r = it.record;

/** The record's content, as its recorder wrote it. */
export function RecordContent({ record }: { record: RecordDetail }) {
  const who = record.intervener;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      items={[
        { key: 'cat', label: r.category, children: record.categoryLabel },
        { key: 'who', label: r.intervener, children: `${who.name}${who.unitName ? `（${who.unitName}）` : ''}（${record.intervenerKindLabel}）` },
        { key: 'post', label: r.post, children: who.post || it.common.none },
        { key: 'rel', label: r.relation, children: who.relationLabel },
        { key: 'case', label: r.caseRef, children: record.caseRef },
        { key: 'how', label: r.manners, children: record.mannerLabels.join('、') },
        { key: 'when', label: r.occurredAt, children: formatDateTime(record.occurredAt) },
        { key: 'what', label: r.requestText, children: <span style={{ whiteSpace: 'pre-wrap' }}>{record.requestText}</span> },
        { key: 'handling', label: r.handling, children: record.handlingLabel },
        { key: 'note', label: r.handlingNote, children: <span style={{ whiteSpace: 'pre-wrap' }}>{record.handlingNote || it.common.none}</span> },
        ...(record.attachments?.length ? [{ key: 'files', label: r.attachments, children: <FileLinks files={record.attachments} label={r.attachments} /> }] : []),
      ]}
    />
  );
}

