// 智能化数据排查's forms and dialogs, loaded when first opened: the three reviews of a hit (转为线索, 排除,
// 已掌握), a rule's form (new or edited: name, description and the parameters its kind takes), a rule's
// versions, and the result of a run. Field names are the API's, so a refusal naming a field
// (campaignId, reason, params.minSharePct…) lands on it.
import { useEffect, type ReactNode } from 'react';
import { Form, Input, InputNumber, Modal, Select, Button, Typography, type FormInstance } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { CheckGroup } from '../../components/CheckGroup.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { formatTime } from '../../components/format.js';
import { atLeast, atMost, labelOptions as options } from '../../components/formParts.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { useInvalidate } from '../../components/useList.js';
import { common, screening as st } from '../../i18n/index.js';
import {
  ENTERPRISE_ROLE_LABELS, ORG_KIND_LABELS, RELATION_LABELS, RULE_KINDS, type ParamDef, type RuleKind,
} from '../../../../shared/schemas/screening-labels.js';
import { categoryText, useCampaigns, useCategoriesOf } from '../rectification/shared.js';
import { HITS_KEY, RULES_KEY, SCREENING_KEY, type HitDetail, type RuleRow, type RuleVersion, type RunResult } from './shared.js';

const required = (message: string) => ({ required: true, message });
const none = st.common.none;

// ---- the reviews of a hit -------------------------------------------------------------------------

interface HitFormProps {
  hit: HitDetail;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}

/** The reviews' common frame: a modal form that refreshes the hit, the lists (and the clues) when saved. */
function HitModal<V extends object, R = unknown>({ hit: _hit, open, onClose, onSaved, ...p }: HitFormProps & {
  name: string;
  title: string;
  okText: string;
  okDanger?: boolean;
  savedMessage: string | ((r: R) => string);
  onSubmit: (v: V) => Promise<R>;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
}) {
  const invalidate = useInvalidate();
  return (
    <FormDrawer<V, R>
      as="modal"
      name={p.name}
      width={620}
      open={open}
      title={p.title}
      okText={p.okText}
      okDanger={p.okDanger}
      onClose={onClose}
      savedMessage={p.savedMessage}
      onSubmit={p.onSubmit}
      // Refused as already reviewed (another reviewer was quicker): the hit as it is now.
      onFailed={() => void invalidate(HITS_KEY)}
      onSaved={() => {
        void invalidate(SCREENING_KEY, '/api/clues');
        onSaved();
      }}
    >
      {p.children}
    </FormDrawer>
  );
}

interface ConfirmValues {
  campaignId: string;
  categoryId?: string;
  orgUnitId?: string | null;
  note?: string;
}

/** The campaign (the running one chosen when the list comes), its category if known, the unit when the hit names no officer of ours. */
function ConfirmFields({ form, hit }: { form: FormInstance<ConfirmValues>; hit: HitDetail }) {
  const c = st.confirm;
  const can = useCan();
  const campaigns = useCampaigns();
  const campaignId = Form.useWatch('campaignId', form);
  // The catalogue is read by whoever registers clues, as the clue form reads it.
  const categories = useCategoriesOf(can('rectification:read') || can('clues:write') ? campaignId : null);
  const list = campaigns.data ?? [];
  useEffect(() => {
    if (form.getFieldValue('campaignId') || !list.length) return;
    const running = (list as { id: string; status?: string }[]).find((x) => x.status === 'active');
    form.setFieldValue('campaignId', (running ?? list[0])!.id);
  }, [form, list]);
  const categoryOptions = (categories.data ?? []).filter((x) => x.enabled).map((x) => ({ value: x.id, label: categoryText(x) }));

  return (
    <>
      <p className="notice info">{c.help}</p>
      <Form.Item name="campaignId" label={c.campaign} rules={[required(c.campaignRequired)]}>
        <Select
          options={list.map((x) => ({ value: x.id, label: x.name }))}
          loading={campaigns.isLoading}
          onChange={() => form.setFieldValue('categoryId', undefined)}
        />
      </Form.Item>
      <Form.Item name="categoryId" label={c.category} extra={categories.isError ? c.categoryFailed : c.categoryHelp}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={categoryOptions} loading={categories.isLoading && Boolean(campaignId)} />
      </Form.Item>
      {hit.personId ? (
        // The clue concerns the officer the hit names; his unit comes with him.
        <p className="text-secondary">{c.person(hit.subject)}</p>
      ) : (
        <Form.Item
          name="orgUnitId"
          label={c.orgUnit}
          rules={hit.orgUnitId ? [] : [required(c.orgUnitRequired)]}
          extra={hit.orgUnitId && hit.orgUnitName ? c.orgUnitHelp(hit.orgUnitName) : c.orgUnitNone}
        >
          <OrgTreeSelect allowClear />
        </Form.Item>
      )}
      <Form.Item name="note" label={c.note} rules={[atMost(2000)]}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
    </>
  );
}

/** 转为线索: a clue of source 智能化数据排查; its number shows once registered. */
export function ConfirmModal(props: HitFormProps) {
  const c = st.confirm;
  const { hit } = props;
  return (
    <HitModal<ConfirmValues, { clueId: string; clueNo: string }>
      {...props}
      name="hit-confirm"
      title={c.title}
      okText={c.ok}
      savedMessage={(r) => c.done(r.clueNo)}
      onSubmit={(v) =>
        api.post(`${HITS_KEY}/${hit.id}/confirm`, {
          campaignId: v.campaignId,
          categoryId: v.categoryId || null,
          orgUnitId: v.orgUnitId || null,
          note: v.note?.trim() ?? '',
        })
      }
    >
      {(form) => <ConfirmFields form={form} hit={hit} />}
    </HitModal>
  );
}

/** 排除: not a problem after all, and why (kept with the hit). */
export function DismissModal(props: HitFormProps) {
  const s = st.dismiss;
  return (
    <HitModal<{ reason: string }>
      {...props}
      name="hit-dismiss"
      title={s.title}
      okText={s.ok}
      okDanger
      savedMessage={s.done}
      onSubmit={(v) => api.post(`${HITS_KEY}/${props.hit.id}/dismiss`, { reason: v.reason.trim() })}
    >
      <p className="notice info">{s.help}</p>
      <Form.Item name="reason" label={s.reason} rules={[{ required: true, whitespace: true, message: s.reasonRequired }, atLeast(4, s.reasonRequired), atMost(2000)]}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
    </HitModal>
  );
}

/** 已掌握: already in hand elsewhere; a note is optional. */
export function KnownModal(props: HitFormProps) {
  const s = st.knownForm;
  return (
    <HitModal<{ note?: string }>
      {...props}
      name="hit-known"
      title={s.title}
      okText={s.ok}
      savedMessage={s.done}
      onSubmit={(v) => api.post(`${HITS_KEY}/${props.hit.id}/known`, { note: v.note?.trim() ?? '' })}
    >
      <p className="notice info">{s.help}</p>
      <Form.Item name="note" label={s.note} rules={[atMost(2000)]}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
    </HitModal>
  );
}

// ---- rules ----------------------------------------------------------------------------------------

const CHOICES: Partial<Record<ParamDef['type'], Record<string, string>>> = {
  relations: RELATION_LABELS,
  roles: ENTERPRISE_ROLE_LABELS,
  orgKinds: ORG_KIND_LABELS,
};

/** A parameter's value for people: 配偶、子女 / 2 年 / 高级. */
export function paramValue(def: ParamDef, v: unknown): string {
  const labels = CHOICES[def.type];
  if (labels) return Array.isArray(v) && v.length ? v.map((x) => labels[String(x)] ?? String(x)).join('、') : none;
  if (v === null || v === undefined || v === '') return none;
  return def.unit ? `${String(v)} ${def.unit}` : String(v);
}

/** Every parameter, one per line: “任职类型：法定代表人、股东”. */
function paramsText(defs: ParamDef[], params: Record<string, unknown>): string {
  return defs.length ? defs.map((d) => `${d.label}：${paramValue(d, params[d.key])}`).join('\n') : st.versions.noParams;
}

/** One parameter's control, as its type asks. */
function ParamField({ def }: { def: ParamDef }) {
  const f = st.ruleForm;
  const labels = CHOICES[def.type];
  if (labels) {
    // 亲属关系 may be left empty (only the officer himself is compared); the other lists need one choice.
    const rules = def.type === 'relations' ? [] : [{ required: true, type: 'array' as const, min: 1, message: f.pickOne(def.label) }];
    return (
      <Form.Item name={['params', def.key]} label={def.label} rules={rules}>
        <CheckGroup label={def.label} options={options(labels)} />
      </Form.Item>
    );
  }
  if (def.type === 'text') {
    return (
      <Form.Item name={['params', def.key]} label={def.label} rules={[atMost(20)]}>
        <Input style={{ maxWidth: 320 }} />
      </Form.Item>
    );
  }
  return (
    <Form.Item name={['params', def.key]} label={def.label} rules={[required(f.paramRequired(def.label))]}>
      <InputNumber min={def.min} max={def.max} precision={def.type === 'int' ? 0 : undefined} suffix={def.unit} style={{ width: 220 }} />
    </Form.Item>
  );
}

interface RuleValues {
  kind: RuleKind;
  name: string;
  description: string;
  params: Record<string, unknown>;
}

const kindOptions = Object.entries(RULE_KINDS).map(([value, k]) => ({ value, label: k.name }));

/** The kind (new rules only), name, description and the parameters; saving makes a new version. */
function RuleFields({ form, rule }: { form: FormInstance<RuleValues>; rule: RuleRow | null }) {
  const f = st.ruleForm;
  const kind = Form.useWatch('kind', form) as RuleKind | undefined;
  const defs: readonly ParamDef[] = rule ? rule.paramDefs : kind ? RULE_KINDS[kind].params : [];
  return (
    <>
      {rule ? null : (
        <Form.Item name="kind" label={f.kind} rules={[required(f.kindRequired)]} extra={f.kindHelp}>
          <Select
            options={kindOptions}
            onChange={(k: RuleKind) => {
              // The kind's own words and defaults to start from.
              const def = RULE_KINDS[k];
              form.setFieldsValue({ name: def.name, description: def.description });
              form.setFieldValue('params', structuredClone(def.defaults));
            }}
          />
        </Form.Item>
      )}
      <Form.Item name="name" label={f.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }, atLeast(2, f.nameMin), atMost(50)]}>
        <Input />
      </Form.Item>
      <Form.Item
        name="description"
        label={f.description}
        extra={f.descriptionHelp}
        rules={[{ required: true, whitespace: true, message: f.descriptionRequired }, atLeast(10, f.descriptionMin), atMost(1000)]}
      >
        <Input.TextArea rows={4} showCount maxLength={1000} />
      </Form.Item>
      {rule || kind ? (
        <>
          <Typography.Title level={5}>{f.params}</Typography.Title>
          {defs.length ? defs.map((d) => <ParamField key={d.key} def={d} />) : <p className="text-secondary">{f.noParams}</p>}
        </>
      ) : null}
      <p className="text-secondary">{f.versionHelp}</p>
    </>
  );
}

/** 新增规则 (rule null) or 编辑 one: both answer the version saved. */
export function RuleDrawer({ rule, open, onClose, onSaved }: { rule: RuleRow | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const f = st.ruleForm;
  const invalidate = useInvalidate();
  return (
    <FormDrawer<RuleValues, { code: string; version: number }>
      name="screening-rule"
      open={open}
      title={rule ? f.editTitle(rule.name) : f.createTitle}
      width={Math.min(640, window.innerWidth)}
      initialValues={rule ? { name: rule.name, description: rule.description, params: structuredClone(rule.params) } : {}}
      savedMessage={(r) => (rule ? f.saved(r.version) : f.created(r.version))}
      onClose={onClose}
      onSubmit={(v) => {
        const body = { name: v.name.trim(), description: v.description.trim(), params: v.params ?? {} };
        return rule ? api.patch(`${RULES_KEY}/${encodeURIComponent(rule.code)}`, body) : api.post(RULES_KEY, { kind: v.kind, ...body });
      }}
      onSaved={() => {
        void invalidate(SCREENING_KEY);
        onSaved();
      }}
    >
      {(form) => <RuleFields form={form} rule={rule} />}
    </FormDrawer>
  );
}

/** 版本记录: every version of a rule, newest first, with what each said and by whom. */
export function VersionsModal({ rule, open, onClose }: { rule: RuleRow | null; open: boolean; onClose: () => void }) {
  const v = st.versions;
  const query = useQuery({
    queryKey: [RULES_KEY, 'versions', rule?.code],
    queryFn: () => api.get<{ items: RuleVersion[] }>(`${RULES_KEY}/${encodeURIComponent(rule!.code)}/versions`),
    enabled: Boolean(rule),
  });
  const defs = rule?.paramDefs ?? [];
  const columns: Columns<RuleVersion> = [
    { title: v.version, dataIndex: 'version', width: 64, render: (n: number) => st.rules.versionN(n) },
    {
      title: v.name,
      dataIndex: 'name',
      width: 220,
      render: (name: string, r) => (
        <>
          <div>{name}</div>
          <div className="text-secondary clamp-2" title={r.description}>
            {r.description}
          </div>
        </>
      ),
    },
    { title: v.params, dataIndex: 'params', render: (p: Record<string, unknown>) => <div style={{ whiteSpace: 'pre-line', minWidth: 200 }}>{paramsText(defs, p)}</div> },
    { title: v.createdAt, dataIndex: 'createdAt', width: 140, render: (t: string) => formatTime(t) },
    { title: v.createdBy, dataIndex: 'createdByName', width: 90, render: (n: string | null) => n ?? none },
  ];
  return (
    <Modal open={open} title={rule ? v.title(rule.name) : ''} onCancel={onClose} width={900} destroyOnHidden footer={<Button onClick={onClose}>{common.close}</Button>}>
      {query.isError ? (
        <LoadFailed error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable<RuleVersion>
          caption={v.table}
          rowKey={(r) => String(r.version)}
          loading={query.isFetching}
          dataSource={[...(query.data?.items ?? [])].sort((a, b) => b.version - a.version)}
          columns={columns}
          minWidth={720}
        />
      )}
    </Modal>
  );
}

// ---- a run's result -------------------------------------------------------------------------------

type RuleResult = RunResult['rules'][number];
type SnapshotUsed = RunResult['snapshots'][number];

/** What a run found per rule (命中, 新增, 未变, 已消失) and which snapshot of each register it read. */
export function RunResultModal({ result, onClose }: { result: RunResult | null; onClose: () => void }) {
  const r = st.run;
  const num = (n: number) => n;
  const ruleColumns: Columns<RuleResult> = [
    { title: r.rule, dataIndex: 'name', render: (name: string, x) => `${name}（${st.rules.versionN(x.version)}）` },
    { title: r.hits, dataIndex: 'hits', width: 70, align: 'right', render: num },
    { title: r.new, dataIndex: 'new', width: 70, align: 'right', render: (n: number) => (n ? <strong>{n}</strong> : n) },
    { title: r.unchanged, dataIndex: 'unchanged', width: 70, align: 'right', render: num },
    { title: r.resolved, dataIndex: 'resolved', width: 70, align: 'right', render: num },
    { title: r.skipped, dataIndex: 'skipped', width: 200, render: (s: string | null) => s ?? none },
  ];
  const snapshotColumns: Columns<SnapshotUsed> = [
    { title: r.dataset, dataIndex: 'kindLabel', width: 130 },
    { title: r.fileName, dataIndex: 'fileName', render: (f: string | null) => f ?? r.none },
    { title: r.importedAt, dataIndex: 'importedAt', width: 150, render: (t: string | null) => formatTime(t) },
    { title: r.rows, dataIndex: 'rows', width: 80, align: 'right', render: (n: number | null) => n ?? none },
  ];
  return (
    <Modal open={Boolean(result)} title={r.title} onCancel={onClose} width={860} destroyOnHidden footer={<Button onClick={onClose}>{common.close}</Button>}>
      {result ? (
        <div className="stack" data-testid="run-result">
          <Typography.Text type="secondary">{r.startedAt(formatTime(result.startedAt))}</Typography.Text>
          <Typography.Title level={5}>{r.rules}</Typography.Title>
          <DataTable<RuleResult> caption={r.rulesTable} rowKey="code" dataSource={result.rules} columns={ruleColumns} size="small" minWidth={640} />
          <Typography.Title level={5}>{r.snapshots}</Typography.Title>
          <DataTable<SnapshotUsed> caption={r.snapshotsTable} rowKey="kind" dataSource={result.snapshots} columns={snapshotColumns} size="small" minWidth={560} />
        </div>
      ) : null}
    </Modal>
  );
}
