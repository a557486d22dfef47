// 新建 / 编辑 a campaign, in a drawer that loads when first opened.
import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { dayjs } from '../../components/dayjs.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import type { CampaignStatus, CampaignView } from '../../../../shared/schemas/campaigns.js';
import { CampaignStatusTag } from './CampaignStatusTag.js';
import { CAMPAIGN_STATUS_LABELS, optionsOf } from './labels.js';
import type { DateRange } from './range.js';

const T = system.campaigns;
const KEY = '/api/campaigns';

interface CampaignForm {
  name: string;
  batch: number;
  dates: DateRange;
  status?: CampaignStatus;
  description?: string;
}

export default function CampaignDrawer({ editing, nextBatch, onClose, onSaved }: {
  editing: CampaignView | 'new' | null;
  /** A suggestion only; the server refuses a batch number already taken. */
  nextBatch: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const isNew = editing === 'new';
  const current = editing && editing !== 'new' ? editing : null;
  // Closed by hand: history, only the description may change (the server says the same).
  const locked = current?.manualStatus === 'closed';
  return (
    <FormDrawer<CampaignForm>
      open={editing !== null}
      title={isNew ? T.createTitle : T.editTitle}
      onClose={onClose}
      savedMessage={isNew ? T.created : T.saved}
      // The two dates are edited by one range picker.
      errorAlias={{ startDate: 'dates', endDate: 'dates' }}
      initialValues={
        current
          ? {
              name: current.name,
              batch: current.batch,
              dates: [current.startDate ? dayjs(current.startDate) : null, current.endDate ? dayjs(current.endDate) : null],
              description: current.description ?? '',
            }
          : // A suggestion only; the server refuses a batch number already taken.
            { status: 'planned', batch: nextBatch }
      }
      onSubmit={(v) => {
        const body = {
          name: v.name,
          batch: v.batch,
          startDate: v.dates?.[0]?.format('YYYY-MM-DD'),
          endDate: v.dates?.[1]?.format('YYYY-MM-DD'),
          description: v.description ?? '',
          ...(isNew && v.status ? { status: v.status } : {}),
        };
        return current ? api.patch(`${KEY}/${current.id}`, body) : api.post(KEY, body);
      }}
      onSaved={onSaved}
    >
      <Form.Item name="name" label={T.name} rules={[{ required: true, message: T.required(T.name) }]}>
        <Input maxLength={100} placeholder={T.namePlaceholder} disabled={locked} />
      </Form.Item>
      <Form.Item name="batch" label={T.batch} extra={T.batchHint} rules={[{ required: true, message: T.required(T.batch) }]}>
        <InputNumber min={1} max={99} precision={0} prefix="第" suffix="批" style={{ width: 160 }} disabled={locked} />
      </Form.Item>
      <Form.Item
        name="dates"
        label={T.period}
        required
        extra={current && current.status === 'closed' && !locked ? T.closedByDatesHint : undefined}
        rules={[
          {
            validator: (_r, v: DateRange) =>
              v?.[0] && v?.[1] ? Promise.resolve() : Promise.reject(new Error(T.requiredSelect(T.period))),
          },
        ]}
      >
        <DatePicker.RangePicker placeholder={T.periodPlaceholder} style={{ width: '100%' }} disabled={locked} />
      </Form.Item>
      {isNew ? (
        <Form.Item name="status" label={T.status} extra={T.statusHint}>
          <Select options={optionsOf(CAMPAIGN_STATUS_LABELS).filter((o) => o.value !== 'closed')} style={{ width: 160 }} />
        </Form.Item>
      ) : current ? (
        <Form.Item label={T.status} extra={locked ? T.closedHint : undefined}>
          <CampaignStatusTag c={current} />
        </Form.Item>
      ) : null}
      <Form.Item name="description" label={T.description}>
        <Input.TextArea rows={4} maxLength={2000} />
      </Form.Item>
    </FormDrawer>
  );
}
