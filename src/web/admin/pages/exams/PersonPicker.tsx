// The person whose archive staff open (学习档案 ?view=person): the people picker with its label,
// loaded only when that view is chosen (an officer's archive never loads the select).
import { useId } from 'react';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { exams as xt } from '../../i18n/index.js';

export default function PersonPicker({ value, onChange }: { value?: PersonOption; onChange: (p: PersonOption | undefined) => void }) {
  const id = useId();
  return (
    <div className="archive-person-picker">
      <label htmlFor={id}>{xt.archive.personLabel}</label>
      <div style={{ width: 320, maxWidth: '100%' }}>
        <PersonSelect id={id} value={value ?? null} onChange={onChange} placeholder={xt.common.personPlaceholder} allowClear />
      </div>
    </div>
  );
}
