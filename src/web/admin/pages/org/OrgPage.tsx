// 单位管理: the org tree on the left, the selected unit's details and actions on the right.
import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Tag } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ORG_KINDS } from '../../../../shared/schemas/org.js';
import { useCan } from '../../auth/useMe.js';
import { t } from '../../i18n.js';
import { PageHeader } from '../../components/PageHeader.js';
import { TreePanel } from '../../components/TreePanel.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { useApiError } from '../../components/useApiError.js';
import { ORG_UNITS_KEY, pathName, useOrgUnits, type OrgUnit } from '../../components/useOrgUnits.js';

const s = t.org;
const kindOptions = Object.entries(ORG_KINDS).map(([value, label]) => ({ value, label }));

interface OrgForm {
  parentId: string | null;
  name: string;
  shortName?: string | null;
  kind: keyof typeof ORG_KINDS;
  code: string;
  sort?: number | null;
}

type Editing = { mode: 'create'; parent: OrgUnit } | { mode: 'edit'; unit: OrgUnit };

function OrgFormModal({ editing, onClose, onSaved }: { editing: Editing; onClose: () => void; onSaved: (id: string) => void }) {
  const [form] = Form.useForm<OrgForm>();
  const showError = useApiError();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const unit = editing.mode === 'edit' ? editing.unit : null;

  // initialValues (not setFieldsValue in an effect): the modal's form mounts after the first render.
  const initial = useMemo<Partial<OrgForm>>(() => {
    if (unit) return { parentId: unit.parentId, name: unit.name, shortName: unit.shortName, kind: unit.kind as OrgForm['kind'], code: unit.code, sort: unit.sort };
    const parent = (editing as { parent: OrgUnit }).parent;
    return { parentId: parent.id, kind: parent.kind === 'city_bureau' ? 'county_bureau' : 'office', sort: 0 };
  }, [editing, unit]);

  const submit = async (v: OrgForm) => {
    setBusy(true);
    try {
      const body = {
        name: v.name,
        shortName: v.shortName || null,
        kind: v.kind,
        code: v.code,
        sort: v.sort ?? 0,
      };
      if (unit) {
        // Only a changed parent is sent: the server treats a parent in the patch as a move.
        await api.patch(`/api/org-units/${unit.id}`, v.parentId !== unit.parentId ? { ...body, parentId: v.parentId } : body);
        message.success(t.common.saved);
        onSaved(unit.id);
      } else {
        const r = await api.post<{ id: string }>('/api/org-units', { ...body, parentId: v.parentId });
        message.success(t.common.created);
        onSaved(r.id);
      }
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={unit ? s.editTitle : s.createTitle}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t.common.save}
      destroyOnHidden
    >
      <Form<OrgForm> name="org-unit" form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={initial}>
        <Form.Item label={s.parent} name="parentId" rules={unit?.parentId === null ? [] : [{ required: true, message: t.common.choose(s.parent) }]}>
          <OrgTreeSelect onlyInScope excludeSubtreeOf={unit?.id} disabled={unit?.parentId === null} placeholder={unit?.parentId === null ? s.noParent : undefined} />
        </Form.Item>
        <Form.Item label={s.name} name="name" rules={[{ required: true, whitespace: true, message: t.common.enter(s.name) }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={s.shortName} name="shortName" rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={s.kind} name="kind" rules={[{ required: true, message: t.common.choose(s.kind) }]}>
          <Select options={kindOptions} />
        </Form.Item>
        <Form.Item
          label={s.code}
          name="code"
          extra={s.codeHelp}
          rules={[
            { required: true, whitespace: true, message: t.common.enter(s.code) },
            { pattern: /^[A-Za-z0-9_-]+$/, message: s.codePattern },
            { max: 50 },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item label={s.sort} name="sort">
          <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function OrgPage() {
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const { data: units = [], isLoading } = useOrgUnits();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);

  const selected = useMemo(() => units.find((u) => u.id === selectedId) ?? null, [units, selectedId]);
  const writable = Boolean(selected && can('org:write') && selected.inScope);
  const childCount = useMemo(() => units.filter((u) => u.parentId === selectedId).length, [units, selectedId]);

  const refresh = () => qc.invalidateQueries({ queryKey: ORG_UNITS_KEY });

  const remove = async (unit: OrgUnit) => {
    try {
      await api.del(`/api/org-units/${unit.id}`);
      message.success(t.common.deleted);
      setSelectedId(unit.parentId);
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <>
      <PageHeader title={s.title} />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={9} xl={7}>
          <TreePanel
            title={s.tree}
            items={units}
            loading={isLoading}
            selectedId={selectedId}
            onSelect={(id) => setSelectedId(id)}
            searchPlaceholder={s.searchTree}
            muted={(u) => !u.inScope}
          />
        </Col>
        <Col xs={24} md={15} xl={17}>
          <Card
            title={selected ? selected.name : s.title}
            extra={
              selected && writable ? (
                <>
                  <Button icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create', parent: selected })} style={{ marginInlineEnd: 8 }}>
                    {s.addChild}
                  </Button>
                  <Button icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', unit: selected })} style={{ marginInlineEnd: 8 }}>
                    {t.common.edit}
                  </Button>
                  <Popconfirm
                    title={t.common.deleteConfirm(selected.name)}
                    description={childCount ? s.hasChildren : undefined}
                    onConfirm={() => remove(selected)}
                    okButtonProps={{ danger: true }}
                  >
                    <Button danger icon={<DeleteOutlined />} disabled={selected.parentId === null}>
                      {t.common.delete}
                    </Button>
                  </Popconfirm>
                </>
              ) : null
            }
          >
            {selected ? (
              <Descriptions
                column={{ xs: 1, sm: 2 }}
                bordered
                size="small"
                items={[
                  { key: 'name', label: s.name, children: selected.name },
                  { key: 'short', label: s.shortName, children: selected.shortName || t.common.none },
                  { key: 'kind', label: s.kind, children: ORG_KINDS[selected.kind as keyof typeof ORG_KINDS] ?? selected.kind },
                  { key: 'code', label: s.code, children: selected.code },
                  { key: 'parent', label: s.parent, children: pathName(units, selected.parentId) || t.common.none, span: 'filled' },
                  { key: 'depth', label: s.depth, children: selected.depth + 1 },
                  { key: 'sort', label: s.sort, children: selected.sort },
                  {
                    key: 'scope',
                    label: s.scope,
                    span: 'filled',
                    children: selected.inScope ? <Tag color="green">{s.inScope}</Tag> : <Tag>{s.outOfScope}</Tag>,
                  },
                ]}
              />
            ) : (
              <Empty description={s.pick} />
            )}
          </Card>
        </Col>
      </Row>
      {editing ? (
        <OrgFormModal
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(id) => {
            setEditing(null);
            setSelectedId(id);
            void refresh();
          }}
        />
      ) : null}
    </>
  );
}
