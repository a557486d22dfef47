// 新增 / 编辑 a party organisation: the form of 党组织, loaded when first opened.
import { Form, Input, InputNumber, Select } from 'antd';
import { api } from '../../api.js';
import { PARTY_KINDS } from '../../../../shared/schemas/org.js';
import { common, org } from '../../i18n/index.js';
import { OrgTreeSelect, PartyOrgTreeSelect } from '../../components/OrgTreeSelect.js';
import type { TreeFormSpec } from '../../components/TreePage.js';
import type { PartyOrg } from '../../components/useOrgUnits.js';

const s = org.party;
const kindOptions = Object.entries(PARTY_KINDS).map(([value, label]) => ({ value, label }));

interface PartyForm {
  parentId: string | null;
  name: string;
  kind: keyof typeof PARTY_KINDS;
  orgUnitId?: string | null;
  sort?: number | null;
}

const spec: TreeFormSpec<PartyOrg, PartyForm> = {
  title: (e) => (e.mode === 'edit' ? s.editTitle : s.createTitle),
  initialValues: (e) =>
    e.mode === 'edit'
      ? { parentId: e.item.parentId, name: e.item.name, kind: e.item.kind as PartyForm['kind'], orgUnitId: e.item.orgUnitId, sort: e.item.sort }
      : { parentId: e.parent?.id ?? null, kind: 'branch', orgUnitId: e.parent?.orgUnitId ?? null, sort: 0 },
  submit: async (e, v) => {
    const body = { name: v.name, kind: v.kind, orgUnitId: v.orgUnitId ?? null, sort: v.sort ?? 0 };
    if (e.mode === 'edit') {
      await api.patch(`/api/party-orgs/${e.item.id}`, v.parentId !== e.item.parentId ? { ...body, parentId: v.parentId } : body);
      return e.item.id;
    }
    return (await api.post<{ id: string }>('/api/party-orgs', { ...body, parentId: v.parentId ?? null })).id;
  },
  fields: (e) => (
    <>
      <Form.Item label={s.parent} name="parentId">
        <PartyOrgTreeSelect allowClear excludeSubtreeOf={e.mode === 'edit' ? e.item.id : undefined} placeholder={s.noParent} />
      </Form.Item>
      <Form.Item label={s.name} name="name" rules={[{ required: true, whitespace: true, message: common.enter(s.name) }, { max: 100 }]}>
        <Input />
      </Form.Item>
      <Form.Item label={s.kind} name="kind" rules={[{ required: true, message: common.choose(s.kind) }]}>
        <Select options={kindOptions} />
      </Form.Item>
      <Form.Item label={s.orgUnit} name="orgUnitId">
        <OrgTreeSelect allowClear />
      </Form.Item>
      <Form.Item label={s.sort} name="sort">
        <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </>
  ),
};
export default spec;
