// The dictionary type and item forms (dialogs), loaded when first opened. Item codes are fixed once
// saved: records store them.
import { Form, Input, InputNumber, Switch } from 'antd';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import type { DictItemView as DictItem, DictTypeView as DictType } from '../../../../shared/schemas/dict.js';

const T = system.dict;

interface TypeForm {
  code: string;
  name: string;
  description?: string;
}

interface ItemForm {
  code: string;
  label: string;
  sort: number;
  enabled: boolean;
}

const itemUrl = (type: string, id?: string) =>
  `/api/dicts/${encodeURIComponent(type)}/items${id ? `/${encodeURIComponent(id)}` : ''}`;

export default function DictForms({ type, typeEditing, itemEditing, nextSort, onClose, onSaved }: {
  /** The type whose items are shown (and edited). */
  type: string | null;
  typeEditing: DictType | 'new' | null;
  itemEditing: DictItem | 'new' | null;
  nextSort: number;
  onClose: () => void;
  /** After a save; a new type's code, to show it. */
  onSaved: (newType: string | null) => void;
}) {
  return (
    <>
      <FormDrawer<TypeForm>
        as="modal"
        open={typeEditing !== null}
        title={typeEditing === 'new' ? T.createType : T.editType}
        onClose={onClose}
        savedMessage={typeEditing === 'new' ? T.created : T.saved}
        initialValues={typeEditing && typeEditing !== 'new' ? { code: typeEditing.code, name: typeEditing.name, description: typeEditing.description ?? '' } : {}}
        onSubmit={(v) =>
          typeEditing === 'new'
            ? api.post('/api/dicts', { code: v.code, name: v.name, description: v.description ?? '' })
            : api.patch(`/api/dicts/${encodeURIComponent(typeEditing!.code)}`, { name: v.name, description: v.description ?? '' })
        }
        onSaved={(_r, v) => onSaved(typeEditing === 'new' ? v.code : null)}
      >
        <Form.Item name="code" label={T.typeCode} extra={typeEditing === 'new' ? T.typeCodeHint : undefined} rules={[{ required: true, message: T.required(T.typeCode) }]}>
          <Input disabled={typeEditing !== 'new'} maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={T.typeName} rules={[{ required: true, message: T.required(T.typeName) }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="description" label={T.description}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormDrawer>

      <FormDrawer<ItemForm>
        as="modal"
        open={itemEditing !== null && type !== null}
        title={itemEditing === 'new' ? T.createItem : T.editItem}
        onClose={onClose}
        savedMessage={itemEditing === 'new' ? T.created : T.saved}
        initialValues={
          itemEditing && itemEditing !== 'new'
            ? { code: itemEditing.code, label: itemEditing.label, sort: itemEditing.sort, enabled: Boolean(itemEditing.enabled) }
            : { sort: nextSort, enabled: true }
        }
        onSubmit={(v) =>
          itemEditing === 'new'
            ? api.post(itemUrl(type!), { code: v.code, label: v.label, sort: v.sort ?? 0, enabled: v.enabled ?? true })
            : api.patch(itemUrl(type!, itemEditing!.id), { label: v.label, sort: v.sort ?? 0, enabled: v.enabled })
        }
        onSaved={() => onSaved(null)}
      >
        <Form.Item name="code" label={T.code} extra={itemEditing === 'new' ? T.codeHint : undefined} rules={[{ required: true, message: T.required(T.code) }]}>
          <Input disabled={itemEditing !== 'new'} maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item name="label" label={T.itemLabel} rules={[{ required: true, message: T.required(T.itemLabel) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="sort" label={T.sort}>
          <InputNumber min={0} max={1000000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="enabled" label={T.enabled} valuePropName="checked">
          <Switch checkedChildren={T.on} unCheckedChildren={T.off} />
        </Form.Item>
      </FormDrawer>
    </>
  );
}
