// 发布考试, loaded when first opened: the topic, the kind (线上客观测试 / 线下主观题考试), title, organising
// unit, when it opens and closes (Beijing time, sent with its +08:00 offset), the time limit and pass
// mark; an online paper either fixed (questions picked from the bank, each with its points) or drawn by
// rules (type, difficulty, count, points each) with the full score added up as it is typed; shuffling;
// who takes it. Field names are the API's, so a refusal naming a field (rules.1.count, passScore,
// closesAt…) lands on it. Given an exam, the same form corrects it (修改, PUT): its topic and kind
// stay; once anyone has started, only the title, the end and who takes it may change (the server's
// rule), so the rest is shown greyed out.
import { useState, type ReactNode } from 'react';
import { Button, Col, ConfigProvider, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Switch, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, qs, type Page } from '../../api.js';
import { useMe } from '../../auth/useMe.js';
import { DataTable } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { dayjs } from '../../components/dayjs.js';
import { formatTime } from '../../components/format.js';
import { atLeast, atMost, labelOptions } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { Pager } from '../../components/Pager.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { useList } from '../../components/useList.js';
import { exams as xt } from '../../i18n/index.js';
import { DIFFICULTIES, EXAM_KINDS, PAPER_MODES, QUESTION_TYPES, type ExamKind, type PaperMode, type QuestionType } from '../../../../shared/schemas/study-labels.js';
import { EXAMS_KEY, QUESTIONS_KEY, type ExamDetail, type Question, type Topic } from './shared.js';
import './exams.css';

const f = xt.examForm;

interface RuleValue {
  type: QuestionType;
  /** 0: any difficulty. */
  difficulty: number;
  count: number;
  points: number;
}
interface FixedValue {
  questionId: string;
  points: number;
  stem: string;
  typeLabel: string;
}
interface ExamValues {
  topicId: string;
  kind: ExamKind;
  title: string;
  orgUnitId: string;
  opensAt: Dayjs;
  closesAt: Dayjs;
  durationMinutes?: number;
  fullScore?: number;
  passScore: number;
  paperMode: PaperMode;
  rules: RuleValue[];
  questions: FixedValue[];
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  targetUnitIds: string[];
  targetPersonIds?: PersonOption[];
}

/** A picked wall-clock time read as Beijing time (no daylight saving: always +08:00). */
const beijingInstant = (d: Dayjs) => `${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`;
/** Beijing's wall clock now, as a picker value (whatever the browser's zone). */
const beijingNow = () => dayjs(formatTime(new Date().toISOString()));

const ALIAS: Record<string, string> = Object.fromEntries([
  ...Array.from({ length: 200 }, (_, i) => [`targetPersonIds.${i}`, 'targetPersonIds']),
  ...Array.from({ length: 200 }, (_, i) => [`targetUnitIds.${i}`, 'targetUnitIds']),
  ...Array.from({ length: 500 }, (_, i) => [`questions.${i}.questionId`, `questions.${i}.points`]),
]);

/** Greys out what it wraps (antd's own disabled context), leaving the form's busy state alone otherwise. */
function Lock({ on, children }: { on: boolean; children: ReactNode }) {
  return on ? <ConfigProvider componentDisabled>{children}</ConfigProvider> : <>{children}</>;
}

/** The form's values for an exam as it stands (times as Beijing wall-clock picker values). */
function valuesOf(exam: ExamDetail): ExamValues {
  return {
    topicId: exam.topicId,
    kind: exam.kind,
    title: exam.title,
    orgUnitId: exam.orgUnitId,
    opensAt: dayjs(formatTime(exam.opensAt)),
    closesAt: dayjs(formatTime(exam.closesAt)),
    durationMinutes: exam.durationMinutes ?? 60,
    fullScore: exam.fullScore,
    passScore: exam.passScore,
    paperMode: exam.paperMode ?? 'random',
    rules: exam.rules.length
      ? exam.rules.map((r) => ({ type: r.type, difficulty: r.difficulty ?? 0, count: r.count, points: r.points }))
      : [{ type: 'single', difficulty: 0, count: 10, points: 2 }],
    questions: exam.questions.map((q) => ({ questionId: q.id, points: q.points, stem: q.stem, typeLabel: q.typeLabel })),
    shuffleQuestions: exam.shuffleQuestions,
    shuffleOptions: exam.shuffleOptions,
    targetUnitIds: exam.targetUnitIds,
    targetPersonIds: exam.targetPeople.map((p) => ({ value: p.id, label: p.orgUnitName ? `${p.name}（${p.orgUnitName}）` : p.name })),
  };
}

const difficultyOptions = [{ value: 0, label: f.anyDifficulty }, ...Object.entries(DIFFICULTIES).map(([v, label]) => ({ value: Number(v), label }))];
const sum = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 10) / 10;

export default function ExamFormDrawer({ open, topics, topicId, exam, onClose, onSaved }: {
  open: boolean;
  /** The topics offered (only the exam's own when correcting one). */
  topics: Pick<Topic, 'id' | 'title'>[];
  /** The topic the page shows: the form starts on it. */
  topicId?: string;
  /** The exam to correct (GET /exams/:id); none: a new one. */
  exam?: ExamDetail;
  onClose: () => void;
  onSaved: (id: string) => void;
}) {
  const me = useMe();
  const opens = beijingNow().add(1, 'hour').startOf('hour');
  // Its paper, times and scores were what the attempts were drawn and marked by.
  const locked = Boolean(exam?.started);
  const initial = exam ? valuesOf(exam) : undefined;
  /** A time left as it was goes back as it was (the picker drops seconds the server may have). */
  const instant = (v: Dayjs, was?: Dayjs, iso?: string) => (was && iso && v.isSame(was, 'minute') ? iso : beijingInstant(v));
  return (
    <FormDrawer<ExamValues, { id: string; fullScore: number; expectedCount: number }>
      name="exam"
      open={open}
      title={exam ? f.editTitle : f.title}
      width={Math.min(860, window.innerWidth)}
      onClose={onClose}
      errorAlias={ALIAS}
      savedMessage={(r) => (exam ? f.updated(r.expectedCount, r.fullScore) : f.created(r.expectedCount, r.fullScore))}
      initialValues={initial ?? {
        topicId: topicId ?? topics[0]?.id,
        kind: 'online_objective',
        orgUnitId: me.orgUnit?.id,
        opensAt: opens,
        closesAt: opens.add(7, 'day'),
        durationMinutes: 60,
        fullScore: 100,
        passScore: 60,
        paperMode: 'random',
        rules: [{ type: 'single', difficulty: 0, count: 10, points: 2 }],
        questions: [],
        shuffleQuestions: true,
        shuffleOptions: true,
        targetUnitIds: me.orgUnit ? [me.orgUnit.id] : [],
        targetPersonIds: [],
      }}
      onSubmit={(_, form) => {
        // Every value the form holds, the fixed questions' stems too (shown, not sent).
        const v = form.getFieldsValue(true) as ExamValues;
        const online = v.kind === 'online_objective';
        const body = {
          topicId: v.topicId,
          kind: v.kind,
          title: v.title.trim(),
          orgUnitId: v.orgUnitId,
          opensAt: instant(v.opensAt, initial?.opensAt, exam?.opensAt),
          closesAt: instant(v.closesAt, initial?.closesAt, exam?.closesAt),
          passScore: v.passScore,
          targetUnitIds: v.targetUnitIds ?? [],
          targetPersonIds: (v.targetPersonIds ?? []).map((p) => p.value),
          ...(online
            ? {
                durationMinutes: v.durationMinutes,
                paperMode: v.paperMode,
                rules: v.paperMode === 'random' ? (v.rules ?? []).map((r) => ({ type: r.type, difficulty: r.difficulty || null, count: r.count, points: r.points })) : [],
                questions: v.paperMode === 'fixed' ? (v.questions ?? []).map((q) => ({ questionId: q.questionId, points: q.points })) : [],
                shuffleQuestions: v.shuffleQuestions,
                shuffleOptions: v.shuffleOptions,
              }
            : { fullScore: v.fullScore }),
        };
        return exam ? api.put(`${EXAMS_KEY}/${exam.id}`, body) : api.post(EXAMS_KEY, body);
      }}
      onSaved={(r) => onSaved(r.id)}
    >
      {(form) => (
        <>
          {locked ? <p className="notice warning">{f.locked}</p> : null}
          <ExamFields form={form} topics={topics} editing={Boolean(exam)} locked={locked} />
        </>
      )}
    </FormDrawer>
  );
}

function ExamFields({ form, topics, editing, locked }: { form: FormInstance<ExamValues>; topics: Pick<Topic, 'id' | 'title'>[]; editing: boolean; locked: boolean }) {
  const kind = Form.useWatch('kind', form);
  const mode = Form.useWatch('paperMode', form);
  const topicId = Form.useWatch('topicId', form);
  const online = kind !== 'offline_subjective';
  return (
    <>
      <Lock on={editing}>
        <Row gutter={12}>
          <Col xs={24} md={14}>
            <Form.Item name="topicId" label={f.topic} rules={[{ required: true, message: f.topicRequired }]}>
              <Select options={topics.map((x) => ({ value: x.id, label: x.title }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="kind" label={f.kind}>
              <Radio.Group options={labelOptions(EXAM_KINDS)} />
            </Form.Item>
          </Col>
        </Row>
      </Lock>
      <Form.Item name="title" label={f.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }, atLeast(2, f.nameMin), atMost(100)]}>
        <Input placeholder={f.namePlaceholder} />
      </Form.Item>
      <Lock on={locked}>
        <Form.Item name="orgUnitId" label={f.orgUnit} extra={f.orgUnitHelp} rules={[{ required: true, message: f.orgUnitRequired }]}>
          <OrgTreeSelect onlyInScope />
        </Form.Item>
      </Lock>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Lock on={locked}>
            <Form.Item name="opensAt" label={f.opensAt} extra={f.beijing} rules={[{ required: true, message: f.opensAtRequired }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          </Lock>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="closesAt"
            label={f.closesAt}
            extra={f.beijing}
            dependencies={['opensAt']}
            rules={[
              { required: true, message: f.closesAtRequired },
              ({ getFieldValue }) => ({
                validator: async (_, v?: Dayjs) => {
                  const from = getFieldValue('opensAt') as Dayjs | undefined;
                  if (v && from && !v.isAfter(from)) throw new Error(f.closesBeforeOpens);
                },
              }),
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Lock on={locked}>
        <Row gutter={12}>
          {online ? (
            <Col xs={12} md={8}>
              {/* Greyed out, antd's suffix is too faint to read (axe): the unit goes to the label. */}
              <Form.Item name="durationMinutes" label={locked ? f.durationInMinutes : f.duration} extra={f.durationHelp} rules={[{ required: true, message: f.durationRequired }]}>
                <InputNumber min={1} max={600} precision={0} style={{ width: '100%' }} suffix={locked ? undefined : f.minutes} />
              </Form.Item>
            </Col>
          ) : (
            <Col xs={12} md={8}>
              <Form.Item name="fullScore" label={f.fullScore} rules={[{ required: true, message: f.fullScoreRequired }]}>
                <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} md={8}>
            <Form.Item name="passScore" label={f.passScore} rules={[{ required: true, message: f.passScoreRequired }]}>
              <InputNumber min={0} max={1000} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {online ? (
          <>
            <Form.Item name="paperMode" label={f.paperMode}>
              <Radio.Group options={labelOptions(PAPER_MODES)} />
            </Form.Item>
            {mode === 'fixed' ? <FixedPaper form={form} topicId={topicId} locked={locked} /> : <RulesPaper form={form} topicId={topicId} />}
            <Row gutter={12}>
              <Col xs={12}>
                <Form.Item name="shuffleQuestions" label={f.shuffleQuestions} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item name="shuffleOptions" label={f.shuffleOptions} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Col>
            </Row>
          </>
        ) : (
          <p className="notice info">{f.offlineHelp}</p>
        )}
      </Lock>
      <Form.Item name="targetUnitIds" label={f.targetUnits} extra={f.targetUnitsHelp}>
        <OrgTreeSelect multiple onlyInScope />
      </Form.Item>
      <Form.Item
        name="targetPersonIds"
        label={f.targetPeople}
        extra={f.targetPeopleHelp}
        dependencies={['targetUnitIds']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_, v?: PersonOption[]) => {
              const units = getFieldValue('targetUnitIds') as string[] | undefined;
              if (!units?.length && !v?.length) throw new Error(f.targetsRequired);
            },
          }),
        ]}
      >
        <PersonSelect multiple placeholder={xt.common.personPlaceholder} />
      </Form.Item>
    </>
  );
}

/** How many active questions of a type (and difficulty) the topic's bank has: what a rule may ask for. */
function BankAvailable({ topicId, type, difficulty }: { topicId?: string; type?: QuestionType; difficulty?: number }) {
  const q = useQuery({
    queryKey: [QUESTIONS_KEY, { topicId, type, difficulty: difficulty || undefined, status: 'active', pageSize: 1 }],
    queryFn: () => api.get<Page<Question>>(QUESTIONS_KEY + qs({ topicId, type, difficulty: difficulty || undefined, status: 'active', pageSize: 1 })),
    enabled: Boolean(topicId && type),
    staleTime: 30_000,
  });
  if (!q.data) return null;
  return <span className="text-secondary">{f.available(q.data.total, q.data.totalCapped === true)}</span>;
}

function RulesPaper({ form, topicId }: { form: FormInstance<ExamValues>; topicId?: string }) {
  const rules = (Form.useWatch('rules', form) ?? []) as Partial<RuleValue>[];
  const full = sum(rules.map((r) => (Number(r?.count) || 0) * (Number(r?.points) || 0)));
  const count = rules.reduce((s, r) => s + (Number(r?.count) || 0), 0);
  return (
    <fieldset className="exam-form-group">
      <legend>{f.rules}</legend>
      <p className="text-secondary" style={{ marginTop: 0 }}>{f.rulesHelp}</p>
      <Form.List name="rules">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <div key={field.key} className="exam-form-row" role="group" aria-label={f.ruleN(i + 1)}>
                <Row gutter={8} align="top">
                  <Col xs={12} md={6}>
                    <Form.Item name={[field.name, 'type']} label={f.ruleType} rules={[{ required: true, message: f.ruleTypeRequired }]}>
                      <Select options={labelOptions(QUESTION_TYPES)} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Form.Item name={[field.name, 'difficulty']} label={f.ruleDifficulty}>
                      <Select options={difficultyOptions} />
                    </Form.Item>
                  </Col>
                  <Col xs={10} md={5}>
                    <Form.Item name={[field.name, 'count']} label={f.ruleCount} rules={[{ required: true, message: f.ruleCountRequired }]}>
                      <InputNumber min={1} max={200} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={10} md={5}>
                    <Form.Item name={[field.name, 'points']} label={f.rulePoints} rules={[{ required: true, message: f.rulePointsRequired }]}>
                      <InputNumber min={0.5} max={100} step={0.5} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={4} md={3} className="exam-form-remove">
                    <Button icon={<DeleteOutlined />} aria-label={f.removeRule(i + 1)} title={f.removeRule(i + 1)} disabled={fields.length <= 1} onClick={() => remove(field.name)} />
                  </Col>
                </Row>
                <BankAvailable topicId={topicId} type={rules[i]?.type} difficulty={rules[i]?.difficulty} />
              </div>
            ))}
            <Button icon={<PlusOutlined />} disabled={fields.length >= 20} onClick={() => add({ type: 'single', difficulty: 0, count: 5, points: 2 })}>
              {f.addRule}
            </Button>
          </>
        )}
      </Form.List>
      <p className="exam-form-total" aria-live="polite" data-testid="full-score">
        {f.total(count, full)}
      </p>
    </fieldset>
  );
}

function FixedPaper({ form, topicId, locked }: { form: FormInstance<ExamValues>; topicId?: string; locked: boolean }) {
  const chosen = (Form.useWatch('questions', form) ?? []) as Partial<FixedValue>[];
  const full = sum(chosen.map((q) => Number(q?.points) || 0));
  return (
    <fieldset className="exam-form-group">
      <legend>{f.fixed}</legend>
      <Form.List name="questions" rules={[{ validator: async (_, v?: unknown[]) => { if (!v?.length) throw new Error(f.fixedRequired); } }]}>
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.length ? (
              <ol className="exam-fixed-list">
                {fields.map((field, i) => {
                  const q = chosen[i];
                  return (
                    <li key={field.key} className="exam-form-row">
                      <span className="exam-fixed-stem">
                        <span className="text-secondary">{i + 1}．［{q?.typeLabel}］</span>
                        {q?.stem}
                      </span>
                      <Form.Item name={[field.name, 'points']} label={f.pointsOf(i + 1)} className="exam-fixed-points" rules={[{ required: true, message: f.rulePointsRequired }]}>
                        <InputNumber min={0.5} max={100} step={0.5} style={{ width: 96 }} />
                      </Form.Item>
                      <Button icon={<DeleteOutlined />} aria-label={f.removeQuestion(i + 1)} title={f.removeQuestion(i + 1)} onClick={() => remove(field.name)} />
                    </li>
                  );
                })}
              </ol>
            ) : (
              <p className="text-secondary">{f.fixedEmpty}</p>
            )}
            <Form.ErrorList errors={errors} />
            <p className="exam-form-total" aria-live="polite" data-testid="full-score">
              {f.total(fields.length, full)}
            </p>
            {/* Its links are not antd's: a locked paper leaves the bank out rather than grey it. */}
            {locked ? null : (
              <BankPicker
                topicId={topicId}
                chosen={new Set(chosen.map((q) => q?.questionId).filter((x): x is string => Boolean(x)))}
                onAdd={(q) => add({ questionId: q.id, points: 2, stem: q.stem, typeLabel: q.typeLabel })}
              />
            )}
          </>
        )}
      </Form.List>
    </fieldset>
  );
}

/** The topic's active questions, a page at a time, to add to a fixed paper. */
function BankPicker({ topicId, chosen, onAdd }: { topicId?: string; chosen: Set<string>; onAdd: (q: Question) => void }) {
  const [type, setType] = useState<string>();
  const list = useList<Question>(QUESTIONS_KEY, {
    filters: { topicId, type, status: 'active' },
    onFiltersChange: (next) => setType(next.type === undefined ? undefined : String(next.type)),
    pageSize: 10,
    enabled: Boolean(topicId),
  });
  return (
    <div className="exam-bank-picker">
      <div className="exam-bank-picker-head">
        <strong>{f.bank}</strong>
        <select className={type ? 'filter-select' : 'filter-select empty'} aria-label={f.bankType} value={type ?? ''} onChange={(e) => setType(e.target.value || undefined)}>
          <option value="">{f.allTypes}</option>
          {Object.entries(QUESTION_TYPES).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <DataTable<Question>
        size="small"
        caption={f.bank}
        {...list.tableProps}
        sort={undefined}
        onSort={undefined}
        columns={[
          { title: f.bankTypeCol, dataIndex: 'typeLabel', width: 72 },
          { title: f.bankDifficulty, dataIndex: 'difficultyLabel', width: 52 },
          { title: f.bankStem, dataIndex: 'stem', ellipsis: true },
          {
            title: f.bankAction,
            key: 'add',
            width: 72,
            render: (_: unknown, q) =>
              chosen.has(q.id) ? (
                <span className="text-secondary">{f.added}</span>
              ) : (
                <button type="button" className="link-action" aria-label={f.addQuestionLabel(q.stem.slice(0, 30))} onClick={() => onAdd(q)}>
                  {f.addQuestion}
                </button>
              ),
          },
        ]}
        tableLayout="fixed"
      />
      {list.total > list.pageSize ? <Pager {...list.pager} sizes={[10, 20, 50]} /> : null}
    </div>
  );
}
