// 排查规则: every rule with its kind, version, switch, how many it found last time and what it checks;
// 编辑 and 新增规则 open the rule form (each save a new version), 版本记录 the versions. Loaded when the tab
// is first opened; the forms when first used.
import { lazy, useState } from 'react';
import { Button, Flex, Switch, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { useFeedback } from '../../components/feedback.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate } from '../../components/useList.js';
import { common, screening as st } from '../../i18n/index.js';
import { RULES_KEY, SCREENING_KEY, useRules, type RuleRow } from './shared.js';

const t = st.rules;
const forms = () => import('./ScreeningForms.js');
const RuleDrawer = lazy(() => forms().then((m) => ({ default: m.RuleDrawer })));
const VersionsModal = lazy(() => forms().then((m) => ({ default: m.VersionsModal })));

/** The rule's switch: changed at once (a PATCH), refused changes shown as a toast. */
function EnabledSwitch({ rule, writable }: { rule: RuleRow; writable: boolean }) {
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  if (!writable) return <Tag color={rule.enabled ? 'green' : undefined}>{rule.enabled ? t.on : t.off}</Tag>;
  const change = async (enabled: boolean) => {
    setBusy(true);
    try {
      await api.patch(`${RULES_KEY}/${encodeURIComponent(rule.code)}`, { enabled });
      message.success(enabled ? t.enabledDone : t.disabledDone);
      await invalidate(SCREENING_KEY);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  return <Switch checked={rule.enabled} loading={busy} aria-label={t.enabledOf(rule.name)} onChange={(v) => void change(v)} />;
}

export default function RulesTab() {
  const can = useCan();
  const writable = can('screening:rules');
  const rules = useRules();
  // The rule the form shows stays while the form slides out (null: a new rule).
  const [editing, setEditing] = useState<RuleRow | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const edit = (r: RuleRow | null) => {
    setEditing(r);
    setFormOpen(true);
  };
  const [versionsOf, setVersionsOf] = useState<RuleRow | null>(null);
  const [versionsOpen, setVersionsOpen] = useState(false);

  const columns: Columns<RuleRow> = [
    {
      title: t.name,
      dataIndex: 'name',
      width: 240,
      render: (v: string, r) => (
        <>
          {v} {r.builtin ? <Tag>{t.builtin}</Tag> : null}
        </>
      ),
    },
    { title: t.kind, dataIndex: 'kindName', width: 180, responsive: ['xl'] },
    { title: t.version, dataIndex: 'version', width: 64, render: (n: number) => t.versionN(n) },
    { title: t.enabled, dataIndex: 'enabled', width: 80, render: (_: boolean, r) => <EnabledSwitch rule={r} writable={writable} /> },
    { title: t.lastHits, dataIndex: 'lastHits', width: 96, align: 'right', render: (n: number | null) => n ?? st.common.none },
    { title: t.description, dataIndex: 'description', render: (v: string) => <div className="clamp-2" style={{ minWidth: 200 }} title={v}>{v}</div> },
    {
      title: common.actions,
      key: 'actions',
      width: writable ? 130 : 80,
      render: (_: unknown, r) => (
        <Flex gap={0} wrap={false}>
          {writable ? (
            <button type="button" className="link-action" aria-label={t.editOf(r.name)} onClick={() => edit(r)}>
              {t.edit}
            </button>
          ) : null}
          <button type="button" className="link-action" aria-label={t.versionsOf(r.name)} onClick={() => {
              setVersionsOf(r);
              setVersionsOpen(true);
            }}>
            {t.versions}
          </button>
        </Flex>
      ),
    },
  ];

  return (
    <div className="stack">
      {writable ? (
        <Flex justify="flex-end">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => edit(null)}>
            {t.add}
          </Button>
        </Flex>
      ) : null}
      {rules.isError ? <LoadFailed error={rules.error} onRetry={() => void rules.refetch()} /> : null}
      <DataTable<RuleRow> caption={t.table} rowKey="code" minWidth={960} loading={rules.isFetching} dataSource={rules.data ?? []} columns={columns} emptyText={t.none} />
      <OnDemand open={formOpen}>
        <RuleDrawer rule={editing} open={formOpen} onClose={() => setFormOpen(false)} onSaved={() => setFormOpen(false)} />
      </OnDemand>
      <OnDemand open={versionsOpen}>
        <VersionsModal rule={versionsOf} open={versionsOpen} onClose={() => setVersionsOpen(false)} />
      </OnDemand>
    </div>
  );
}
