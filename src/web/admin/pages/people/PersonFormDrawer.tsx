// Create or edit a person (fields of PersonInput). Server field errors land on the named field.
import { Form, Input, Radio, Select } from 'antd';
import { api } from '../../api.js';
import { GENDERS, PERSON_STATUS } from '../../../../shared/schemas/people.js';
import { isValidPhone, isValidResidentId } from '../../../../shared/validators.js';
import { common, people } from '../../i18n/index.js';
import { OrgTreeSelect, PartyOrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { useDicts } from '../../components/useDicts.js';
import type { PersonRow } from './types.js';

const s = people;

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

export default function PersonFormDrawer({ open, person, defaultOrgUnitId, onClose, onSaved }: PersonFormDrawerProps) {
  const { options: dictOptions } = useDicts();
  const postOptions = dictOptions('post');

  return (
    <FormDrawer<PersonForm, string>
      name="person"
      open={open}
      title={person ? `${s.editTitle}：${person.name}` : s.createTitle}
      onClose={onClose}
      savedMessage={person ? common.saved : common.created}
      initialValues={
        person
          ? {
              name: person.name,
              orgUnitId: person.orgUnitId,
              post: person.post,
              partyOrgId: person.partyOrgId,
              policeNo: person.policeNo,
              gender: person.gender,
              status: person.status,
            }
          : { orgUnitId: defaultOrgUnitId ?? undefined, status: 'active' }
      }
      onSubmit={async (v) => {
        const phone = v.phone?.trim();
        const idNumber = v.idNumber?.trim();
        const body = {
          name: v.name,
          orgUnitId: v.orgUnitId,
          post: v.post || null,
          partyOrgId: v.partyOrgId || null,
          policeNo: v.policeNo || null,
          gender: v.gender ?? null,
          status: v.status,
          // Masked values are never sent back: a blank sensitive field means "unchanged".
          ...(phone ? { phone } : {}),
          ...(idNumber ? { idNumber } : {}),
        };
        if (person) {
          await api.patch(`/api/people/${person.id}`, body);
          return person.id;
        }
        return (await api.post<{ id: string }>('/api/people', body)).id;
      }}
      onSaved={(id) => onSaved(id)}
    >
        <Form.Item label={s.name} name="name" rules={[{ required: true, whitespace: true, message: common.enter(s.name) }, { max: 50 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item label={s.orgUnit} name="orgUnitId" rules={[{ required: true, message: common.choose(s.orgUnit) }]}>
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
          extra={person ? s.keepBlank + s.current(person.phone ?? common.none) : undefined}
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
          extra={person ? s.keepBlank + s.current(person.idNumber ?? common.none) : s.idNumberHelp}
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
    </FormDrawer>
  );
}
