// 党组织: the party organisation tree (beside the org tree), details and maintenance (party:write).
import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Select } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { PARTY_KINDS } from '../../../../shared/schemas/org.js';
import { useCan } from '../../auth/useMe.js';
import { t } from '../../i18n.js';
import { PageHeader } from '../../components/PageHeader.js';
import { TreePanel } from '../../components/TreePanel.js';
import { OrgTreeSelect, PartyOrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { useApiError } from '../../components/useApiError.js';
import { PARTY_ORGS_KEY, pathName, useOrgUnits, usePartyOrgs, type PartyOrg } from '../../components/useOrgUnits.js';

const s = t.party;
const kindOptions = Object.entries(PARTY_KINDS).map(([value, label]) => ({ value, label }));

interface PartyForm {
  parentId: string | null;
  name: string;
  kind: keyof typeof PARTY_KINDS;
  orgUnitId?: string | null;
  sort?: number | null;
}

type Editing = { mode: 'create'; parent: PartyOrg | null } | { mode: 'edit'; org: PartyOrg };

function PartyFormModal({ editing, onClose, onSaved }: { editing: Editing; onClose: () => void; onSaved: (id: string) => void }) {
  const [form] = Form.useForm<PartyForm>();
  const showError = useApiError();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const org = editing.mode === 'edit' ? editing.org : null;

  // initialValues (not setFieldsValue in an effect): the modal's form mounts after the first render.
  const initial = useMemo<Partial<PartyForm>>(() => {
    if (org) return { parentId: org.parentId, name: org.name, kind: org.kind as PartyForm['kind'], orgUnitId: org.orgUnitId, sort: org.sort };
    const parent = (editing as { parent: PartyOrg | null }).parent;
    return { parentId: parent?.id ?? null, kind: 'branch', orgUnitId: parent?.orgUnitId ?? null, sort: 0 };
  }, [editing, org]);

  const submit = async (v: PartyForm) => {
    setBusy(true);
    try {
      const body = { name: v.name, kind: v.kind, orgUnitId: v.orgUnitId ?? null, sort: v.sort ?? 0 };
      if (org) {
        await api.patch(`/api/party-orgs/${org.id}`, v.parentId !== org.parentId ? { ...body, parentId: v.parentId } : body);
        message.success(t.common.saved);
        onSaved(org.id);
      } else {
        const r = await api.post<{ id: string }>('/api/party-orgs', { ...body, parentId: v.parentId ?? null });
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
    <Modal open title={org ? s.editTitle : s.createTitle} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okText={t.common.save} destroyOnHidden>
      <Form<PartyForm> name="party-org" form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={initial}>
        <Form.Item label={s.parent} name="parentId">
          <PartyOrgTreeSelect allowClear excludeSubtreeOf={org?.id} placeholder={s.noParent} />
        </Form.Item>
        <Form.Item label={s.name} name="name" rules={[{ required: true, whitespace: true, message: t.common.enter(s.name) }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={s.kind} name="kind" rules={[{ required: true, message: t.common.choose(s.kind) }]}>
          <Select options={kindOptions} />
        </Form.Item>
        <Form.Item label={s.orgUnit} name="orgUnitId">
          <OrgTreeSelect allowClear />
        </Form.Item>
        <Form.Item label={s.sort} name="sort">
          <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function PartyOrgPage() {
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const { data: orgs = [], isLoading } = usePartyOrgs();
  const { data: units = [] } = useOrgUnits(can('org:read'));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const writable = can('party:write');

  const selected = useMemo(() => orgs.find((o) => o.id === selectedId) ?? null, [orgs, selectedId]);
  const refresh = () => qc.invalidateQueries({ queryKey: PARTY_ORGS_KEY });

  const remove = async (org: PartyOrg) => {
    try {
      await api.del(`/api/party-orgs/${org.id}`);
      message.success(t.common.deleted);
      setSelectedId(org.parentId);
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <>
      <PageHeader
        title={s.title}
        extra={
          writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create', parent: null })}>
              {s.addRoot}
            </Button>
          ) : null
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={9} xl={7}>
          <TreePanel title={s.tree} items={orgs} loading={isLoading} selectedId={selectedId} onSelect={(id) => setSelectedId(id)} searchPlaceholder={s.searchTree} />
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
                  <Button icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', org: selected })} style={{ marginInlineEnd: 8 }}>
                    {t.common.edit}
                  </Button>
                  <Popconfirm title={t.common.deleteConfirm(selected.name)} onConfirm={() => remove(selected)} okButtonProps={{ danger: true }}>
                    <Button danger icon={<DeleteOutlined />}>
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
                  { key: 'kind', label: s.kind, children: PARTY_KINDS[selected.kind as keyof typeof PARTY_KINDS] ?? selected.kind },
                  { key: 'parent', label: s.parent, children: pathName(orgs, selected.parentId) || t.common.none, span: 'filled' },
                  {
                    key: 'unit',
                    label: s.orgUnit,
                    span: 'filled',
                    children: selected.orgUnitId ? pathName(units, selected.orgUnitId) || t.common.none : t.common.none,
                  },
                  { key: 'sort', label: s.sort, children: selected.sort },
                ]}
              />
            ) : (
              <Empty description={s.pick} />
            )}
          </Card>
        </Col>
      </Row>
      {editing ? (
        <PartyFormModal
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
