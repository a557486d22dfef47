// 新增 / 编辑 a problem category, in a drawer that loads when first opened. The code is the server's:
// national ones keep theirs (P1…, S1…, D1…), the bureau's own are numbered X1, X2….
import { Form, Input, InputNumber, Radio } from 'antd';
import { api } from '../../api.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { common, rectification as rt } from '../../i18n/index.js';
import { CATEGORY_KINDS, type CategoryKind } from '../../../../shared/schemas/rectification-labels.js';
import { CATEGORIES_KEY, type CategoryRow } from './shared.js';

const c = rt.categories;
const kindOptions = Object.entries(CATEGORY_KINDS).map(([value, label]) => ({ value, label }));

interface CategoryValues {
  kind: CategoryKind;
  name: string;
  description?: string;
  sort?: number | null;
}

export default function CategoryForm({ editing, campaignId, onClose, onSaved }: {
  editing: CategoryRow | 'new' | null;
  campaignId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const current = editing && editing !== 'new' ? editing : null;
  return (
    <FormDrawer<CategoryValues>
      name="rectification-category"
      open={editing !== null}
      title={current ? c.editTitle(current.code) : c.addTitle}
      onClose={onClose}
      savedMessage={current ? common.saved : common.created}
      initialValues={current ? { kind: current.kind, name: current.name, description: current.description ?? '', sort: current.sort } : { kind: 'persistent' }}
      onSubmit={(v) => {
        const body = {
          kind: v.kind,
          name: v.name.trim(),
          description: v.description?.trim() || null,
          // Left empty on a new one: the server puts it last.
          ...(typeof v.sort === 'number' ? { sort: v.sort } : {}),
        };
        return current ? api.patch(`${CATEGORIES_KEY}/${current.id}`, body) : api.post(CATEGORIES_KEY, { ...body, campaignId });
      }}
      onSaved={onSaved}
    >
      <Form.Item name="kind" label={c.kind} rules={[{ required: true, message: c.kindRequired }]}>
        <Radio.Group options={kindOptions} optionType="button" />
      </Form.Item>
      <Form.Item
        name="name"
        label={c.name}
        rules={[
          { required: true, whitespace: true, message: c.nameRequired },
          { min: 2, message: c.nameMin },
          { max: 100, message: rt.common.tooLong(100) },
        ]}
      >
        <Input autoFocus showCount maxLength={100} />
      </Form.Item>
      <Form.Item name="description" label={c.description} rules={[{ max: 500, message: rt.common.tooLong(500) }]}>
        <Input.TextArea rows={3} showCount maxLength={500} />
      </Form.Item>
      <Form.Item name="sort" label={c.sort} extra={c.sortHelp}>
        <InputNumber min={0} max={9999} precision={0} style={{ width: 160 }} />
      </Form.Item>
    </FormDrawer>
  );
}
