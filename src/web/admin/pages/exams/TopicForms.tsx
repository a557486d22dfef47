// 专题与题库's forms, loaded when first opened: a topic (name, dates, the online and offline weights
// that make its result — summing to 100 — and its pass mark) and a question whose form follows its type:
// options A–H and the right one(s) for choice questions, 正确/错误 for 判断, each blank's accepted answers
// (one blank a line, alternatives split by /) for 填空, a reference answer for 简答; explanation and
// difficulty for all. Field names are the API's, so a refusal (answer, stem, offlineWeight…) lands there.
import { Button, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, type FormInstance, type GetProps } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { dayjs } from '../../components/dayjs.js';
import { apiDate, atLeast, atMost, labelOptions } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { exams as xt } from '../../i18n/index.js';
import { DIFFICULTIES, QUESTION_TYPES, type QuestionType } from '../../../../shared/schemas/study-labels.js';
import { OPTION_KEYS, QUESTIONS_KEY, TOPICS_KEY, type Question, type Topic } from './shared.js';
import './exams.css';

const tf = xt.topicForm;
const qf = xt.questionForm;

interface TopicValues {
  title: string;
  description?: string;
  startsOn?: Dayjs | null;
  endsOn?: Dayjs | null;
  onlineWeight: number;
  offlineWeight: number;
  passScore: number;
}

/** 新增专题 / 编辑专题 of a campaign. */
export function TopicDrawer({ open, campaignId, topic, onClose, onSaved }: {
  open: boolean;
  campaignId: string;
  /** null: a new topic. */
  topic: Topic | null;
  onClose: () => void;
  onSaved: (t: Topic) => void;
}) {
  return (
    <FormDrawer<TopicValues, Topic>
      name="study-topic"
      open={open}
      title={topic ? tf.editTitle : tf.addTitle}
      width={Math.min(640, window.innerWidth)}
      onClose={onClose}
      initialValues={
        topic
          ? {
              title: topic.title,
              description: topic.description ?? undefined,
              startsOn: topic.startsOn ? dayjs(topic.startsOn) : null,
              endsOn: topic.endsOn ? dayjs(topic.endsOn) : null,
              onlineWeight: topic.onlineWeight,
              offlineWeight: topic.offlineWeight,
              passScore: topic.passScore,
            }
          : { onlineWeight: 40, offlineWeight: 60, passScore: 60 }
      }
      onSubmit={(v) => {
        const body = {
          campaignId,
          title: v.title.trim(),
          description: v.description?.trim() || null,
          startsOn: apiDate(v.startsOn),
          endsOn: apiDate(v.endsOn),
          onlineWeight: v.onlineWeight,
          offlineWeight: v.offlineWeight,
          passScore: v.passScore,
        };
        return topic ? api.put<Topic>(`${TOPICS_KEY}/${topic.id}`, body) : api.post<Topic>(TOPICS_KEY, body);
      }}
      onSaved={onSaved}
    >
      <Form.Item name="title" label={tf.name} rules={[{ required: true, whitespace: true, message: tf.nameRequired }, atLeast(2, tf.nameMin), atMost(100)]}>
        <Input placeholder={tf.namePlaceholder} />
      </Form.Item>
      <Form.Item name="description" label={tf.description} rules={[atMost(2000)]}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="startsOn" label={tf.startsOn}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="endsOn"
            label={tf.endsOn}
            dependencies={['startsOn']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, v?: Dayjs | null) => {
                  const from = getFieldValue('startsOn') as Dayjs | null | undefined;
                  if (v && from && v.isBefore(from, 'day')) throw new Error(tf.endBeforeStart);
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <p className="text-secondary" style={{ marginTop: 0 }}>
        {tf.weightsHelp}
      </p>
      <Row gutter={12}>
        <Col xs={12} md={8}>
          <Form.Item name="onlineWeight" label={tf.onlineWeight} rules={[{ required: true, message: tf.weightRequired }]}>
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            name="offlineWeight"
            label={tf.offlineWeight}
            dependencies={['onlineWeight']}
            rules={[
              { required: true, message: tf.weightRequired },
              ({ getFieldValue }) => ({
                validator: async (_, v?: number) => {
                  const online = getFieldValue('onlineWeight') as number | undefined;
                  if (typeof v === 'number' && typeof online === 'number' && v + online !== 100) throw new Error(tf.weightsSum);
                },
              }),
            ]}
          >
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="passScore" label={tf.passScore} extra={tf.passScoreHelp} rules={[{ required: true, message: tf.passScoreRequired }]}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </FormDrawer>
  );
}

interface QuestionValues {
  type: QuestionType;
  difficulty: 1 | 2 | 3;
  stem: string;
  options: { text?: string }[];
  /** By type: "B", ["A","C"], true/false, the blanks as lines, the reference text. */
  answer?: string | string[] | boolean;
  explanation?: string;
}

const isChoice = (t: QuestionType | undefined) => t === 'single' || t === 'multiple';

/** The stored answer as the form edits it. */
function answerToForm(q: Question): QuestionValues['answer'] {
  if (q.type === 'blank' && Array.isArray(q.answer)) return (q.answer as string[][]).map((b) => b.join(' / ')).join('\n');
  return q.answer as QuestionValues['answer'];
}

/** The form's answer as the API takes it. */
function answerFromForm(type: QuestionType, v: QuestionValues['answer']): unknown {
  if (type === 'blank') {
    return String(v ?? '')
      .split(/\r?\n/)
      .map((line) => line.split(/[/／]/).map((x) => x.trim()).filter(Boolean))
      .filter((b) => b.length);
  }
  if (type === 'essay') return String(v ?? '').trim();
  return v;
}

/** After removing option `i`, the answer still names the same options (the ones after it move up a letter). */
function shiftAnswer(answer: QuestionValues['answer'], removed: number): QuestionValues['answer'] {
  const remap = (k: string) => {
    const i = OPTION_KEYS.indexOf(k as (typeof OPTION_KEYS)[number]);
    if (i === removed) return null;
    return i > removed ? OPTION_KEYS[i - 1]! : k;
  };
  if (typeof answer === 'string' && answer.length === 1) return remap(answer) ?? undefined;
  if (Array.isArray(answer)) return answer.map(remap).filter((k): k is string => k !== null);
  return answer;
}

/** A group (radios, checkboxes) named for screen readers; Form.Item's aria-required is not for groups. */
function ChoiceGroup({ kind, 'aria-required': _r, ...rest }: { kind: 'radio' | 'checkbox'; 'aria-required'?: unknown } & Record<string, unknown>) {
  return kind === 'radio' ? (
    <Radio.Group {...(rest as GetProps<typeof Radio.Group>)} aria-label={qf.answer} />
  ) : (
    <Checkbox.Group {...(rest as GetProps<typeof Checkbox.Group>)} role="group" aria-label={qf.answer} />
  );
}

/** 新增试题 / 编辑试题 in a topic's bank. */
export function QuestionDrawer({ open, topicId, question, onClose, onSaved }: {
  open: boolean;
  topicId: string;
  /** null: a new question. */
  question: Question | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  return (
    <FormDrawer<QuestionValues, Question>
      name="question"
      open={open}
      title={question ? qf.editTitle : qf.addTitle}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      initialValues={
        question
          ? {
              type: question.type,
              difficulty: question.difficulty,
              stem: question.stem,
              options: question.options.map((o) => ({ text: o.text })),
              answer: answerToForm(question),
              explanation: question.explanation ?? undefined,
            }
          : { type: 'single', difficulty: 2, options: [{}, {}, {}, {}] }
      }
      onSubmit={(v) => {
        const body = {
          topicId,
          type: v.type,
          difficulty: v.difficulty,
          stem: v.stem.trim(),
          options: isChoice(v.type) ? (v.options ?? []).map((o, i) => ({ key: OPTION_KEYS[i], text: (o.text ?? '').trim() })) : [],
          answer: answerFromForm(v.type, v.answer),
          explanation: v.explanation?.trim() || null,
        };
        return question ? api.put<Question>(`${QUESTIONS_KEY}/${question.id}`, body) : api.post<Question>(QUESTIONS_KEY, body);
      }}
      onSaved={onSaved}
    >
      {(form) => <QuestionFields form={form} />}
    </FormDrawer>
  );
}

function QuestionFields({ form }: { form: FormInstance<QuestionValues> }) {
  const type = Form.useWatch('type', form) as QuestionType | undefined;
  const options = (Form.useWatch('options', form) ?? []) as { text?: string }[];
  const keys = OPTION_KEYS.slice(0, options.length);
  const choiceOptions = keys.map((k, i) => ({ value: k, label: `${k}${options[i]?.text ? `．${options[i]!.text!.slice(0, 12)}` : ''}` }));
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={14}>
          <Form.Item name="type" label={qf.type}>
            <Radio.Group
              options={labelOptions(QUESTION_TYPES)}
              onChange={(e) => {
                // Another type: the answer's shape changes; choice questions start with four options.
                const next = e.target.value as QuestionType;
                form.setFieldValue('answer', undefined);
                if (isChoice(next) && (form.getFieldValue('options') ?? []).length < 2) form.setFieldValue('options', [{}, {}, {}, {}]);
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="difficulty" label={qf.difficulty}>
            <Radio.Group options={Object.entries(DIFFICULTIES).map(([v, label]) => ({ value: Number(v), label }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="stem"
        label={qf.stem}
        extra={type === 'blank' ? qf.stemBlankHelp : undefined}
        rules={[{ required: true, whitespace: true, message: qf.stemRequired }, atLeast(2, qf.stemMin), atMost(2000)]}
      >
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
      {isChoice(type) ? (
        <fieldset className="exam-form-group">
          <legend>{qf.options}</legend>
          <Form.List name="options">
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field, i) => (
                  <div key={field.key} className="exam-option-row">
                    <span className="exam-option-key" aria-hidden="true">
                      {OPTION_KEYS[i]}
                    </span>
                    <Form.Item
                      name={[field.name, 'text']}
                      rules={[{ required: true, whitespace: true, message: qf.optionRequired(OPTION_KEYS[i]!) }, atMost(500)]}
                    >
                      <Input aria-label={qf.optionN(OPTION_KEYS[i]!)} maxLength={500} />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={qf.removeOption(OPTION_KEYS[i]!)}
                      title={qf.removeOption(OPTION_KEYS[i]!)}
                      disabled={fields.length <= 2}
                      onClick={() => {
                        form.setFieldValue('answer', shiftAnswer(form.getFieldValue('answer'), i));
                        remove(field.name);
                      }}
                    />
                  </div>
                ))}
                <Form.ErrorList errors={errors} />
                <Button icon={<PlusOutlined />} disabled={fields.length >= OPTION_KEYS.length} onClick={() => add({})}>
                  {qf.addOption}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>
      ) : null}
      {type === 'single' ? (
        <Form.Item name="answer" label={qf.answerSingle} rules={[{ validator: async (_, v) => { if (!v) throw new Error(qf.answerSingleRequired); } }]}>
          <ChoiceGroup kind="radio" options={choiceOptions} />
        </Form.Item>
      ) : type === 'multiple' ? (
        <Form.Item
          name="answer"
          label={qf.answerMultiple}
          rules={[{ validator: async (_, v?: string[]) => { if (!v || v.length < 2) throw new Error(qf.answerMultipleRequired); } }]}
        >
          <ChoiceGroup kind="checkbox" options={choiceOptions} />
        </Form.Item>
      ) : type === 'judge' ? (
        <Form.Item name="answer" label={qf.answerJudge} rules={[{ validator: async (_, v) => { if (typeof v !== 'boolean') throw new Error(qf.answerJudgeRequired); } }]}>
          <ChoiceGroup kind="radio" options={[{ value: true, label: xt.common.right }, { value: false, label: xt.common.wrong }]} />
        </Form.Item>
      ) : type === 'blank' ? (
        <Form.Item name="answer" label={qf.answerBlank} extra={qf.answerBlankHelp} rules={[{ required: true, whitespace: true, message: qf.answerBlankRequired }]}>
          <Input.TextArea rows={3} placeholder={qf.answerBlankPlaceholder} />
        </Form.Item>
      ) : type === 'essay' ? (
        <Form.Item name="answer" label={qf.answerEssay} rules={[{ required: true, whitespace: true, message: qf.answerEssayRequired }, atMost(5000)]}>
          <Input.TextArea rows={4} showCount maxLength={5000} />
        </Form.Item>
      ) : null}
      <Form.Item name="explanation" label={qf.explanation} rules={[atMost(2000)]}>
        <Input.TextArea rows={2} showCount maxLength={2000} />
      </Form.Item>
    </>
  );
}
