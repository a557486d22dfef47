// 新增 / 编辑 a unit: the form of 单位管理, loaded when first opened.
import { Form, Input, InputNumber, Select } from 'antd';
import { api } from '../../api.js';
import { ORG_KINDS } from '../../../../shared/schemas/org.js';
import { common, org } from '../../i18n/index.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import type { TreeFormSpec } from '../../components/TreePage.js';
import type { OrgUnit } from '../../components/useOrgUnits.js';

const s = org;
const kindOptions = Object.entries(ORG_KINDS).map(([value, label]) => ({ value, label }));

interface OrgForm {
  parentId: string | null;
  name: string;
  shortName?: string | null;
  kind: keyof typeof ORG_KINDS;
  code: string;
  sort?: number | null;
}

const spec: TreeFormSpec<OrgUnit, OrgForm> = {
  title: (e) => (e.mode === 'edit' ? s.editTitle : s.createTitle),
  initialValues: (e) =>
    e.mode === 'edit'
      ? { parentId: e.item.parentId, name: e.item.name, shortName: e.item.shortName, kind: e.item.kind as OrgForm['kind'], code: e.item.code, sort: e.item.sort }
      : { parentId: e.parent?.id ?? null, kind: e.parent?.kind === 'city_bureau' ? 'county_bureau' : 'office', sort: 0 },
  submit: async (e, v) => {
    const body = { name: v.name, shortName: v.shortName || null, kind: v.kind, code: v.code, sort: v.sort ?? 0 };
    if (e.mode === 'edit') {
      // Only a changed parent is sent: the server treats a parent in the patch as a move.
      await api.patch(`/api/org-units/${e.item.id}`, v.parentId !== e.item.parentId ? { ...body, parentId: v.parentId } : body);
      return e.item.id;
    }
    return (await api.post<{ id: string }>('/api/org-units', { ...body, parentId: v.parentId })).id;
  },
  fields: (e) => {
    const root = e.mode === 'edit' && e.item.parentId === null;
    return (
      <>
        <Form.Item label={s.parent} name="parentId" rules={root ? [] : [{ required: true, message: common.choose(s.parent) }]}>
          <OrgTreeSelect onlyInScope excludeSubtreeOf={e.mode === 'edit' ? e.item.id : undefined} disabled={root} placeholder={root ? s.noParent : undefined} />
        </Form.Item>
        <Form.Item label={s.name} name="name" rules={[{ required: true, whitespace: true, message: common.enter(s.name) }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={s.shortName} name="shortName" rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={s.kind} name="kind" rules={[{ required: true, message: common.choose(s.kind) }]}>
          <Select options={kindOptions} />
        </Form.Item>
        <Form.Item
          label={s.code}
          name="code"
          extra={s.codeHelp}
          rules={[
            { required: true, whitespace: true, message: common.enter(s.code) },
            { pattern: /^[A-Za-z0-9_-]+$/, message: s.codePattern },
            { max: 50 },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item label={s.sort} name="sort">
          <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </>
    );
  },
};
export default spec;
