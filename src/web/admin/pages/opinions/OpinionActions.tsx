// The triage verbs as small forms in a modal: 分类, 分办, 答复, 合并, 不予受理, 纳入清单.
// Field names are the API's, so a server error naming a field lands on that field.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { api, qs, type Page } from '../../api.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { useApiError } from '../../components/useApiError.js';
import { formatTime } from '../../components/format.js';
import { ADOPTION_TARGETS, MAX_CONTENT } from '../../../../shared/schemas/opinions.js';
import { opinions as ot } from '../../i18n/index.js';
import { useCategories, type OpinionDetail, type OpinionRow } from './shared.js';

const a = ot.actions;

export type ActionKind = 'categorize' | 'assign' | 'reply' | 'merge' | 'reject' | 'adopt';

const TITLES: Record<ActionKind, string> = {
  categorize: a.categorize,
  assign: a.assign,
  reply: a.reply,
  merge: a.merge,
  reject: a.reject,
  adopt: a.adopt,
};

interface TargetOption {
  value: string;
  label: string;
}

function optionOf(r: { id: string; publicNo: string; excerpt: string }): TargetOption {
  return { value: r.id, label: `${r.publicNo}　${r.excerpt}` };
}

/**
 * Picks the opinion to merge into. Words search the content (full text); a public number
 * (YJ + submission date + 5 characters) is looked up among that day's opinions.
 */
function MergeTargetSelect({ self, initial, value, onChange, id }: {
  self: OpinionDetail;
  initial: TargetOption[];
  value?: string;
  onChange?: (v: string) => void;
  id?: string;
}) {
  const [options, setOptions] = useState<TargetOption[]>(initial);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (text: string) => {
    clearTimeout(timer.current);
    const q = text.trim();
    if (!q) {
      setOptions(initial);
      return;
    }
    timer.current = setTimeout(async () => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const no = /^yj(\d{4})(\d{2})(\d{2})/i.exec(q);
        const path = no
          ? `/api/opinions${qs({ from: `${no[1]}-${no[2]}-${no[3]}`, to: `${no[1]}-${no[2]}-${no[3]}`, pageSize: 200 })}`
          : `/api/opinions${qs({ q, pageSize: 20 })}`;
        const page = await api.get<Page<OpinionRow>>(path);
        if (mine !== seq.current) return;
        const upper = q.toUpperCase();
        setOptions(
          page.items
            .filter((r) => r.id !== self.id && r.status !== 'rejected' && (!no || r.publicNo.toUpperCase().startsWith(upper)))
            .slice(0, 20)
            .map(optionOf),
        );
      } catch {
        if (mine === seq.current) setOptions([]);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 300);
  };

  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      options={options}
      loading={loading}
      placeholder={a.mergeSearch}
      showSearch={{ filterOption: false, onSearch: search }}
      notFoundContent={loading ? ot.detail.loading : undefined}
    />
  );
}

export function OpinionActionModal({ kind, opinion, onClose, onDone }: {
  kind: ActionKind | null;
  opinion: OpinionDetail;
  onClose: () => void;
  onDone: () => void | Promise<void>;
}) {
  const [form] = Form.useForm();
  const { message } = useFeedback();
  const showError = useApiError();
  const { categoryOptions } = useCategories();
  const [busy, setBusy] = useState(false);

  const initialValues = useMemo(() => {
    switch (kind) {
      case 'categorize':
        return { category: opinion.category ?? opinion.suggestion?.category ?? undefined };
      case 'assign':
        return { unitId: opinion.assignedUnitId ?? undefined, workdays: 5 };
      case 'reply':
        return { reply: opinion.reply ?? '' };
      case 'adopt':
        return { target: 'ledger', title: opinion.content.replace(/\s+/g, ' ').slice(0, 40) };
      default:
        return {};
    }
  }, [kind, opinion]);

  const submit = async (v: Record<string, any>) => {
    if (!kind) return;
    setBusy(true);
    const url = `/api/opinions/${opinion.id}/${kind}`;
    try {
      switch (kind) {
        case 'categorize':
          await api.post(url, { category: v.category });
          message.success(a.categorized);
          break;
        case 'assign': {
          const r = await api.post<{ id: string; deadlineAt: string }>(url, {
            unitId: v.unitId,
            workdays: v.workdays,
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          });
          message.success({ content: a.assigned(formatTime(r.deadlineAt)), duration: 6 });
          break;
        }
        case 'reply':
          await api.post(url, { reply: v.reply });
          message.success(a.replied);
          break;
        case 'merge':
          await api.post(url, { intoId: v.intoId });
          message.success(a.merged);
          break;
        case 'reject':
          await api.post(url, { reason: v.reason });
          message.success(a.rejected);
          break;
        case 'adopt':
          await api.post(url, { target: v.target, title: v.title, ...(v.note?.trim() ? { note: v.note.trim() } : {}) });
          message.success(a.adopted);
          break;
      }
      await onDone();
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  const fields = (() => {
    switch (kind) {
      case 'categorize':
        return (
          <Form.Item name="category" label={a.category} rules={[{ required: true, message: a.chooseCategory }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={categoryOptions} placeholder={a.chooseCategory} />
          </Form.Item>
        );
      case 'assign':
        return (
          <>
            <Form.Item name="unitId" label={a.unit} rules={[{ required: true, message: a.chooseUnit }]}>
              <OrgTreeSelect onlyInScope placeholder={a.chooseUnit} />
            </Form.Item>
            <Form.Item name="workdays" label={a.workdays} extra={a.workdaysHelp} rules={[{ required: true, type: 'integer', min: 1, max: 60 }]}>
              <InputNumber min={1} max={60} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="note" label={a.note} rules={[{ max: 500 }]}>
              <Input.TextArea rows={3} showCount maxLength={500} />
            </Form.Item>
          </>
        );
      case 'reply':
        return (
          <Form.Item name="reply" label={a.replyText} extra={a.replyHelp} rules={[{ required: true, whitespace: true, message: a.replyRequired }, { min: 2 }]}>
            <Input.TextArea rows={8} showCount maxLength={MAX_CONTENT} autoFocus />
          </Form.Item>
        );
      case 'merge':
        return (
          <Form.Item name="intoId" label={a.mergeTarget} extra={a.mergeHelp} rules={[{ required: true, message: a.mergeRequired }]}>
            <MergeTargetSelect self={opinion} initial={opinion.duplicates.filter((d) => d.status !== 'rejected').map(optionOf)} />
          </Form.Item>
        );
      case 'reject':
        return (
          <Form.Item name="reason" label={a.reason} extra={a.reasonHelp} rules={[{ required: true, whitespace: true, message: a.reasonRequired }, { min: 2 }]}>
            <Input.TextArea rows={4} showCount maxLength={500} autoFocus />
          </Form.Item>
        );
      case 'adopt':
        return (
          <>
            <Form.Item name="target" label={a.target} rules={[{ required: true }]}>
              <Radio.Group
                options={Object.entries(ADOPTION_TARGETS).map(([value, label]) => ({
                  value,
                  label,
                  disabled: opinion.adoptions.some((x) => x.target === value),
                }))}
              />
            </Form.Item>
            <Form.Item name="title" label={a.title} rules={[{ required: true, whitespace: true, message: a.titleRequired }, { min: 2, max: 200 }]}>
              <Input showCount maxLength={200} />
            </Form.Item>
            <Form.Item name="note" label={a.adoptNote} rules={[{ max: 1000 }]}>
              <Input.TextArea rows={3} showCount maxLength={1000} />
            </Form.Item>
          </>
        );
      default:
        return null;
    }
  })();

  return (
    <Modal
      open={kind !== null}
      title={
        kind ? (
          <Space>
            {TITLES[kind]}
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {opinion.publicNo}
            </Typography.Text>
          </Space>
        ) : null
      }
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={kind === 'reject' ? a.reject : ot.common.submit}
      okButtonProps={{ loading: busy, danger: kind === 'reject' }}
      cancelText={ot.common.cancel}
      destroyOnHidden
      width={kind === 'reply' || kind === 'merge' ? 680 : 520}
    >
      {kind ? (
        <Form key={kind} form={form} layout="vertical" initialValues={initialValues} onFinish={submit} disabled={busy} preserve={false}>
          {kind === 'reply' || kind === 'reject' || kind === 'adopt' ? (
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true }} style={{ background: '#fafafa', padding: 8 }}>
              {opinion.content}
            </Typography.Paragraph>
          ) : null}
          {fields}
        </Form>
      ) : null}
    </Modal>
  );
}
