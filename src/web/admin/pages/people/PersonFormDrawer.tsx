// Create or edit a person (fields of PersonInput). Server field errors land on the named field.
import { useEffect, useState } from 'react';
import { App, Button, Drawer, Flex, Form, Input, Radio, Select } from 'antd';
import { api } from '../../api.js';
import { GENDERS, PERSON_STATUS } from '../../../../shared/schemas/people.js';
import { isValidPhone, isValidResidentId } from '../../../../shared/validators.js';
import { t } from '../../i18n.js';
import { OrgTreeSelect, PartyOrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { useApiError } from '../../components/useApiError.js';
import { useDicts } from '../../components/useDicts.js';
import type { PersonRow } from './types.js';

const s = t.people;

interface PersonForm {
  name: string;
  orgUnitId: string;
  post?: string | null;
  partyOrgId?: string | null;
  policeNo?: string | null;
  phone?: string;
  idNumber?: string;
  gender?: 'M' | 'F' | null;
  status: PersonRow['status'];
}

export interface PersonFormDrawerProps {
  open: boolean;
  /** The person to edit; null: a new one. */
  person: PersonRow | null;
  /** Preselected unit for a new person (the unit picked in the tree). */
  defaultOrgUnitId?: string | null;
  onClose: () => void;
  onSaved: (id: string) => void;
}

export function PersonFormDrawer({ open, person, defaultOrgUnitId, onClose, onSaved }: PersonFormDrawerProps) {
  const [form] = Form.useForm<PersonForm>();
  const showError = useApiError();
  const { message } = App.useApp();
  const { options: dictOptions } = useDicts();
  const [busy, setBusy] = useState(false);
  const postOptions = dictOptions('post');

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (person) {
      form.setFieldsValue({
        name: person.name,
        orgUnitId: person.orgUnitId,
        post: person.post,
        partyOrgId: person.partyOrgId,
        policeNo: person.policeNo,
        gender: person.gender,
        status: person.status,
      });
    } else {
      form.setFieldsValue({ orgUnitId: defaultOrgUnitId ?? undefined, status: 'active' });
    }
  }, [open, person, defaultOrgUnitId, form]);

  const submit = async (v: PersonForm) => {
    setBusy(true);
    const phone = v.phone?.trim();
    const idNumber = v.idNumber?.trim();
    const common = {
      name: v.name,
      orgUnitId: v.orgUnitId,
      post: v.post || null,
      partyOrgId: v.partyOrgId || null,
      policeNo: v.policeNo || null,
      gender: v.gender ?? null,
      status: v.status,
    };
    try {
      if (person) {
        // Masked values are never sent back: a blank sensitive field means "unchanged".
        await api.patch(`/api/people/${person.id}`, { ...common, ...(phone ? { phone } : {}), ...(idNumber ? { idNumber } : {}) });
        message.success(t.common.saved);
        onSaved(person.id);
      } else {
        const r = await api.post<{ id: string }>('/api/people', { ...common, ...(phone ? { phone } : {}), ...(idNumber ? { idNumber } : {}) });
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
    <Drawer
      open={open}
      title={person ? `${s.editTitle}：${person.name}` : s.createTitle}
      size={520}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t.common.cancel}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t.common.save}
          </Button>
        </Flex>
      }
    >
      <Form<PersonForm> name="person" form={form} layout="vertical" onFinish={submit} disabled={busy}>
        <Form.Item label={s.name} name="name" rules={[{ required: true, whitespace: true, message: t.common.enter(s.name) }, { max: 50 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item label={s.orgUnit} name="orgUnitId" rules={[{ required: true, message: t.common.choose(s.orgUnit) }]}>
          <OrgTreeSelect onlyInScope />
        </Form.Item>
        <Form.Item label={s.post} name="post" rules={[{ max: 50 }]}>
          {postOptions.length ? (
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={postOptions} placeholder={s.choosePost} />
          ) : (
            <Input placeholder={s.postCode} />
          )}
        </Form.Item>
        <Form.Item label={s.partyOrg} name="partyOrgId">
          <PartyOrgTreeSelect allowClear />
        </Form.Item>
        <Form.Item label={s.policeNo} name="policeNo" rules={[{ max: 30 }]}>
          <Input />
        </Form.Item>
        <Form.Item
          label={s.phone}
          name="phone"
          extra={person ? s.keepBlank + s.current(person.phone ?? t.common.none) : undefined}
          rules={[
            {
              validator: async (_, v?: string) => {
                if (v && v.trim() && !isValidPhone(v)) throw new Error(s.phoneInvalid);
              },
            },
          ]}
        >
          <Input inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={s.idNumber}
          name="idNumber"
          extra={person ? s.keepBlank + s.current(person.idNumber ?? t.common.none) : s.idNumberHelp}
          rules={[
            {
              validator: async (_, v?: string) => {
                if (v && v.trim() && !isValidResidentId(v)) throw new Error(s.idInvalid);
              },
            },
          ]}
        >
          <Input autoComplete="off" maxLength={18} />
        </Form.Item>
        <Form.Item label={s.gender} name="gender">
          <Radio.Group options={Object.entries(GENDERS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label={s.status} name="status" rules={[{ required: true }]}>
          <Select options={Object.entries(PERSON_STATUS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
