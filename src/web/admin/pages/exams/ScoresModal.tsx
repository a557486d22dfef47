// Scores of an offline paper exam by person (0 to full marks, half points); entering a person again
// corrects their score. Most scores are typed into the 参考人员 list; this form remains for 改分 from the
// results (whose person may have left that list) and for someone outside the list (录入名单外人员成绩).
// The server names a bad row (scores.2.personId) and it shows there.
import { Button, Form, InputNumber } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { exams as xt } from '../../i18n/index.js';
import { EXAMS_KEY } from './shared.js';
import './exams.css';

const s = xt.scores;

interface Row {
  person?: PersonOption;
  score?: number | null;
}

const ALIAS: Record<string, string> = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`scores.${i}.personId`, `scores.${i}.person`]));

export default function ScoresModal({ open, examId, fullScore, rows, onClose, onSaved }: {
  open: boolean;
  examId: string;
  fullScore: number;
  /** Rows to start with (改分: the person's current score); none: one empty row. */
  rows: { personId: string; label: string; score: number | null }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const initial: Row[] = rows.length ? rows.map((r) => ({ person: { value: r.personId, label: r.label }, score: r.score })) : [{}];
  return (
    <FormDrawer<{ scores: Row[] }, { saved: number }>
      as="modal"
      name="exam-scores"
      open={open}
      width={640}
      title={s.title}
      onClose={onClose}
      errorAlias={ALIAS}
      savedMessage={(r) => s.saved(r.saved)}
      initialValues={{ scores: initial }}
      onSubmit={(v) =>
        api.post<{ saved: number }>(`${EXAMS_KEY}/${examId}/scores`, {
          scores: v.scores.map((r) => ({ personId: r.person!.value, score: r.score })),
        })
      }
      onSaved={onSaved}
    >
      <p className="text-secondary" style={{ marginTop: 0 }}>
        {s.help(fullScore)}
      </p>
      <Form.List name="scores">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <div key={field.key} className="exam-option-row" role="group" aria-label={s.rowN(i + 1)}>
                <Form.Item name={[field.name, 'person']} label={s.person(i + 1)} rules={[{ required: true, message: s.personRequired }]}>
                  <PersonSelect placeholder={xt.common.personPlaceholder} />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'score']}
                  label={s.score(i + 1)}
                  style={{ flex: 'none', width: 120 }}
                  rules={[{ required: true, message: s.scoreRequired }]}
                >
                  <InputNumber min={0} max={fullScore} step={0.5} style={{ width: '100%' }} />
                </Form.Item>
                <Button style={{ marginTop: 30 }} icon={<DeleteOutlined />} aria-label={s.remove(i + 1)} title={s.remove(i + 1)} disabled={fields.length <= 1} onClick={() => remove(field.name)} />
              </div>
            ))}
            <Button icon={<PlusOutlined />} disabled={fields.length >= 200} onClick={() => add({})}>
              {s.addRow}
            </Button>
          </>
        )}
      </Form.List>
    </FormDrawer>
  );
}
