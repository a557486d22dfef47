// 参考人员 of one exam (a tab of the exam drawer): the serving people in the viewer's scope the exam
// expects, in the people list's order, each with where they stand (未参考 / 作答中 / 待阅卷 / 已评分) and
// the score; 只看未参考 and a unit filter, paged. For an offline exam (exams:write) this list is also
// where scores are entered: an input per row, and 保存本页成绩 posts only the rows changed on this page.
// A refused row (the server names `scores.<i>.score`) shows why on that row. Loaded when first opened.
import { useState } from 'react';
import { Button, Flex, InputNumber, Tag } from 'antd';
import { SaveOutlined, UserAddOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { useFeedback } from '../../components/feedback.js';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { Pager } from '../../components/Pager.js';
import { useApiError } from '../../components/useApiError.js';
import { useList } from '../../components/useList.js';
import { exams as xt } from '../../i18n/index.js';
import { ATTEMPT_STATUS } from '../../../../shared/schemas/study-labels.js';
import { EXAMS_KEY, score, type ExamDetail, type ExpectedPage, type ExpectedRow } from './shared.js';
import './exams.css';

const d = xt.detail;

/** A typed score and the saved one it started from (a draft back at its start is no change). */
type Draft = { value: number | null; was: number | null };

const STATUS_COLOR = { in_progress: 'blue', submitted: 'orange', graded: 'green' } as const;

/** What is wrong with a score before it is sent, or null. */
function scoreProblem(v: number | null, full: number): string | null {
  if (v === null) return d.scoreBlank;
  if (v < 0 || v > full) return d.scoreRange(full);
  if (!Number.isInteger(v * 2)) return d.scoreStep;
  return null;
}

/** The server's row message without its row number, which counts the rows sent, not the rows shown. */
const rowMessage = (m: string) => m.replace(/^成绩：第 \d+ 行(的干警)?/, '') || m;

const inputId = (personId: string) => `exam-score-${personId}`;

export default function ExpectedPanel({ exam, write, onOpenAttempt, onEnterOther, onSaved }: {
  exam: ExamDetail;
  write: boolean;
  onOpenAttempt: (attemptId: string) => void;
  /** Opens the free-form score entry, for someone this list does not show. */
  onEnterOther: () => void;
  /** Refreshes what the save changed; resolves once the lists have reloaded. */
  onSaved: () => Promise<unknown>;
}) {
  const { message } = useFeedback();
  const showError = useApiError();
  const list = useList<ExpectedRow, ExpectedPage>(`${EXAMS_KEY}/${exam.id}/expected`);
  // Kept across pages and filters by person: typing is not lost by paging; only this page is saved.
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const online = exam.kind === 'online_objective';
  const entering = !online && write;
  const full = list.data?.fullScore ?? exam.fullScore;
  const onPage = new Set(list.items.map((r) => r.personId));
  const changed = list.items.filter((r) => drafts[r.personId]);
  const elsewhere = Object.keys(drafts).filter((id) => !onPage.has(id)).length;

  const edit = (r: ExpectedRow, value: number | null) => {
    setDrafts((all) => {
      const { [r.personId]: had, ...rest } = all;
      const was = had ? had.was : r.score;
      return value === was ? rest : { ...rest, [r.personId]: { value, was } };
    });
    setErrors(({ [r.personId]: _gone, ...rest }) => rest);
  };

  const showRowErrors = (found: Record<string, string>) => {
    setErrors(found);
    message.error(d.rowErrors(Object.keys(found).length));
    const first = list.items.find((r) => found[r.personId]);
    if (first) requestAnimationFrame(() => document.getElementById(inputId(first.personId))?.focus());
  };

  const save = async () => {
    const problems: Record<string, string> = {};
    for (const r of changed) {
      const p = scoreProblem(drafts[r.personId]!.value, full);
      if (p) problems[r.personId] = p;
    }
    if (Object.keys(problems).length) return showRowErrors(problems);
    const scores = changed.map((r) => ({ personId: r.personId, score: drafts[r.personId]!.value as number }));
    setSaving(true);
    try {
      const res = await api.post<{ saved: number }>(`${EXAMS_KEY}/${exam.id}/scores`, { scores });
      // The drafts go once the lists show the saved scores, so no input flashes back to the old one.
      await onSaved();
      setDrafts(({ ...rest }) => {
        for (const s of scores) delete rest[s.personId];
        return rest;
      });
      setErrors({});
      message.success(d.savedScores(res.saved));
    } catch (err) {
      // A 400 names the row by its place in what was sent: `scores.3.score`, `scores.3.personId`.
      const issues = err instanceof ApiError && err.status === 400 ? (err.details?.length ? err.details : err.field ? [{ field: err.field, message: err.message }] : []) : [];
      const found: Record<string, string> = {};
      for (const i of issues) {
        const row = scores[Number(/^scores\.(\d+)\./.exec(i.field)?.[1] ?? NaN)];
        if (row) found[row.personId] = rowMessage(i.message);
      }
      if (Object.keys(found).length) showRowErrors(found);
      else showError(err);
    } finally {
      setSaving(false);
    }
  };

  const columns: Columns<ExpectedRow> = [
    { title: d.name, dataIndex: 'name', width: 90 },
    { title: d.policeNo, dataIndex: 'policeNo', width: 90, render: (v: string | null) => v ?? xt.common.none },
    { title: d.unit, dataIndex: 'orgUnitName', ellipsis: true },
    {
      title: d.status,
      dataIndex: 'status',
      width: 84,
      render: (v: ExpectedRow['status']) => (v ? <Tag color={STATUS_COLOR[v]}>{ATTEMPT_STATUS[v]}</Tag> : <Tag>{d.notTaken}</Tag>),
    },
    entering
      ? {
          title: d.score,
          key: 'score',
          width: 150,
          render: (_: unknown, r) => {
            const error = errors[r.personId];
            const draft = drafts[r.personId];
            return (
              <div>
                <InputNumber
                  id={inputId(r.personId)}
                  aria-label={d.scoreOf(r.name)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${inputId(r.personId)}-error` : undefined}
                  status={error ? 'error' : undefined}
                  size="small"
                  min={0}
                  max={full}
                  step={0.5}
                  value={draft ? draft.value : r.score}
                  onChange={(v) => edit(r, v === null || v === undefined ? null : Number(v))}
                  // A changed, unsaved score stands out from the saved ones.
                  style={{ width: 96, background: draft ? '#fffbe6' : undefined }}
                />
                {error ? (
                  <div id={`${inputId(r.personId)}-error`} className="field-error" style={{ fontSize: 12 }}>
                    {error}
                  </div>
                ) : null}
              </div>
            );
          },
        }
      : {
          title: d.score,
          dataIndex: 'score',
          width: 72,
          align: 'right',
          render: (v: number | null) => score(v),
        },
    {
      title: d.passed,
      dataIndex: 'passed',
      width: 72,
      render: (v: boolean | null) => (v === null ? xt.common.none : v ? xt.common.passed : <span className="text-danger">{xt.common.failed}</span>),
    },
    ...(online
      ? [
          {
            title: d.actions,
            key: 'actions',
            width: 84,
            render: (_: unknown, r: ExpectedRow) =>
              r.attemptId ? (
                <button type="button" className="link-action" aria-label={d.actionOf(r.status === 'submitted' && write ? d.mark : d.openAttempt, r.name)} onClick={() => onOpenAttempt(r.attemptId!)}>
                  {r.status === 'submitted' && write ? d.mark : d.openAttempt}
                </button>
              ) : null,
          },
        ]
      : []),
  ];

  const defs: FilterDef[] = [
    { kind: 'check', name: 'missing', label: d.missingOnly },
    { kind: 'unit', name: 'orgUnitId', label: d.unit, width: 220 },
  ];

  return (
    <section aria-labelledby="exam-expected-title">
      <div className="panel-title">
        <h2 id="exam-expected-title">{d.expectedTitle}</h2>
        {entering ? (
          <Flex gap={8} wrap align="center">
            <Button icon={<UserAddOutlined />} onClick={onEnterOther}>
              {d.enterOther}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} loading={saving} disabled={!changed.length} onClick={() => void save()}>
              {d.saveScores}
            </Button>
          </Flex>
        ) : null}
      </div>
      <p className="text-secondary" style={{ marginTop: 0 }}>
        {d.expectedHelp}
        {entering ? d.scoreHelp(full) : ''}
      </p>
      <FilterBar defs={defs} filters={list.filters} onChange={list.setFilters} onReset={list.resetFilters} />
      {entering ? (
        // Always there (empty when nothing waits), so a screen reader hears it change.
        <p role="status" data-testid="scores-pending" style={{ margin: changed.length || elsewhere ? '0 0 8px' : 0, color: '#874d00' }}>
          {[changed.length ? d.pending(changed.length) : '', elsewhere ? d.pendingElsewhere(elsewhere) : ''].filter(Boolean).join('；')}
        </p>
      ) : null}
      <DataTable<ExpectedRow>
        size="small"
        caption={d.expectedTable}
        minWidth={760}
        rowKey="personId"
        {...list.tableProps}
        sort={undefined}
        onSort={undefined}
        columns={columns}
        emptyText={list.tableProps.emptyText ?? (list.filters.missing ? d.noMissing : d.noExpected)}
      />
      <Pager {...list.pager} />
    </section>
  );
}
