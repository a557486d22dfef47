// 自查事项报告表: the officer's own report for a campaign. Every catalogue item answered 是/否 (是 with
// what), free text, 保存草稿; then 签字承诺: the pledge, the SM3 digest of the saved content, the typed
// full name. A signed version is read-only; 更正 starts the next version from it. The remind notice
// (催报) links here.
import { lazy, useEffect, useState, type FormEvent } from 'react';
import { Button, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, qs } from '../../api.js';
import { DataTable } from '../../components/DataTable.js';
import { useFeedback } from '../../components/feedback.js';
import { Field } from '../../components/Field.js';
import { FilterBar } from '../../components/FilterBar.js';
import { formatDateTime, formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { common, selfChecks as sc } from '../../i18n/index.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { ReportView } from './ReportView.js';
import { MINE_KEY, type Mine, type Report } from './shared.js';
import './self-checks.css';

const t = sc.mine;
const ReportDrawer = lazy(() => import('./ReportDrawer.js'));

interface AnswerValue {
  answer?: 'yes' | 'no';
  description?: string;
}
interface FormValues {
  /** In catalogue order: index i answers mine.items[i]. */
  answers: AnswerValue[];
  freeText?: string;
}

/** The form's values from a version (the draft, or the signed one a correction starts from). */
function valuesFrom(mine: Mine, basis: Report | null): FormValues {
  const given = new Map((basis?.answers ?? []).map((a) => [a.categoryId, a]));
  return {
    answers: mine.items.map((i) => {
      const a = given.get(i.categoryId);
      return a ? { answer: a.answer, description: a.description ?? undefined } : {};
    }),
    freeText: basis?.freeText ?? undefined,
  };
}

export default function SelfCheckPage() {
  const [campaignId, setCampaignId] = useState<string>();
  const [correcting, setCorrecting] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const { data: campaigns = [] } = useCampaigns();
  const query = useQuery({ queryKey: [MINE_KEY, campaignId ?? null], queryFn: () => api.get<Mine>(MINE_KEY + qs({ campaignId })) });
  const mine = query.data;
  // The campaign the server chose when none was asked for: named as the filter's empty choice.
  const [defaultId, setDefaultId] = useState<string>();
  useEffect(() => {
    if (!campaignId && mine) setDefaultId(mine.campaign.id);
  }, [campaignId, mine]);
  // Another campaign: whatever correction was begun belongs to the last one.
  useEffect(() => setCorrecting(false), [campaignId]);

  const current = mine?.current ?? null;
  const editing = !current || current.status === 'draft' || correcting;
  const lastSigned = mine?.versions.find((v) => v.status === 'signed');

  let body;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!mine) body = <p className="text-secondary">{common.loading}</p>;
  else if (!mine.canFill) body = <p className="notice warning">{t.noPerson}</p>;
  else if (!mine.items.length) body = <p className="notice warning">{t.noItems}</p>;
  else
    body = (
      <>
        {editing ? (
          <ReportForm
            // A new basis (a new draft, a correction begun): a fresh form from it.
            key={`${mine.campaign.id}-${current?.id ?? 'new'}-${correcting}`}
            mine={mine}
            basis={current}
            correctingFrom={lastSigned?.version ?? null}
            onCancelCorrection={correcting ? () => setCorrecting(false) : undefined}
            onChanged={async () => {
              await query.refetch();
              setCorrecting(false);
            }}
          />
        ) : (
          <section className="panel" aria-labelledby="selfcheck-signed">
            <div className="panel-title">
              <h2 id="selfcheck-signed">{t.signedTitle(current!.version)}</h2>
              <Button onClick={() => setCorrecting(true)}>{t.correct}</Button>
            </div>
            <ReportView report={current!} />
          </section>
        )}
        <Versions mine={mine} onView={setViewing} />
      </>
    );

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <Button
            icon={<ReloadOutlined />}
            aria-label={common.refresh}
            title={common.refresh}
            loading={query.isFetching && !query.isLoading}
            onClick={() => void query.refetch()}
          />
        }
      />
      <FilterBar
        defs={[campaignFilter(campaigns, defaultId)]}
        filters={campaignId ? { campaignId } : {}}
        onChange={(p) => setCampaignId(p.campaignId === undefined ? undefined : String(p.campaignId))}
        onReset={() => setCampaignId(undefined)}
      />
      <div className="stack">{body}</div>
      <OnDemand open={viewing !== null}>
        <ReportDrawer id={viewing} onClose={() => setViewing(null)} />
      </OnDemand>
    </>
  );
}

/** Where a field's message goes: the control's id (the Field of that name). */
const fieldId = (key: string) => `selfcheck-${key.replace(/\./g, '-')}`;

/**
 * Puts the server's refusal on the fields it names (through `alias`: the body's key → the field's) and
 * focuses the first; what no field shows is a toast. Returns the messages by field.
 */
function placeErrors(err: unknown, toast: (text: string) => void, alias: Record<string, string> = {}): Record<string, string> {
  const issues = err instanceof ApiError ? (err.details?.length ? err.details : err.field ? [{ field: err.field, message: err.message }] : []) : [];
  const placed: Record<string, string> = {};
  let rest = issues.length === 0;
  for (const i of issues) {
    const key = alias[i.field] ?? i.field;
    if (document.getElementById(fieldId(key))) placed[key] = i.message;
    else rest = true;
  }
  const first = Object.keys(placed)[0];
  if (first) document.getElementById(fieldId(first))?.focus();
  if (rest) toast(err instanceof Error ? err.message : String(err));
  return placed;
}

/**
 * The form of a draft (or of a correction), and under it the pledge to sign once it is saved. Native
 * controls (components/Field.tsx): the page every officer opens from the reminder loads no form library.
 */
function ReportForm({ mine, basis, correctingFrom, onCancelCorrection, onChanged }: {
  mine: Mine;
  /** The version the form starts from: the open draft, or the signed one being corrected. */
  basis: Report | null;
  /** The signed version a draft would replace, if any. */
  correctingFrom: number | null;
  onCancelCorrection?: () => void;
  onChanged: () => Promise<void>;
}) {
  const { message } = useFeedback();
  const [values, setValues] = useState(() => valuesFrom(mine, basis));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const draft = basis?.status === 'draft' ? basis : null;

  const setAnswer = (i: number, patch: AnswerValue) => {
    setValues((v) => ({ ...v, answers: v.answers.map((a, k) => (k === i ? { ...a, ...patch } : a)) }));
    setDirty(true);
    const key = `answers.${i}.description`;
    if (errors[key]) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== key)));
  };

  const save = async (ev: FormEvent) => {
    ev.preventDefault();
    const problems: Record<string, string> = {};
    values.answers.forEach((a, i) => {
      if (a.answer === 'yes' && (a.description ?? '').trim().length < 5) problems[`answers.${i}.description`] = t.descriptionRequired;
    });
    setErrors(problems);
    const first = Object.keys(problems)[0];
    if (first) {
      document.getElementById(fieldId(first))?.focus();
      return;
    }
    // Only answered items are sent (a draft may be partial): the server's `answers.<k>` names the k-th
    // of those, which the alias turns back into the item's own row.
    const answers: { categoryId: string; answer: 'yes' | 'no'; description?: string }[] = [];
    const alias: Record<string, string> = {};
    mine.items.forEach((item, i) => {
      const a = values.answers[i];
      if (!a?.answer) return;
      alias[`answers.${answers.length}.description`] = `answers.${i}.description`;
      answers.push({ categoryId: item.categoryId, answer: a.answer, ...(a.answer === 'yes' ? { description: (a.description ?? '').trim() } : {}) });
    });
    setSaving(true);
    try {
      const r = await api.put<{ version: number; answered: number; total: number }>(MINE_KEY, {
        campaignId: mine.campaign.id,
        answers,
        freeText: values.freeText?.trim() || null,
      });
      message.success(t.draftSaved(r.version, r.answered, r.total));
      setDirty(false);
      await onChanged();
    } catch (err) {
      setErrors(placeErrors(err, message.error, alias));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <section className="panel" aria-labelledby="selfcheck-fill">
        <div className="panel-title">
          <h2 id="selfcheck-fill">{t.fillTitle}</h2>
          <span className="text-secondary">
            {dirty ? <Tag color="orange">{t.unsaved}</Tag> : null}
            {draft ? t.draftState(draft.version, formatTime(draft.updatedAt)) : null}
          </span>
        </div>
        {correctingFrom !== null ? (
          <div className="notice info selfcheck-notice">
            <span>{t.correcting(correctingFrom)}</span>
            {onCancelCorrection ? (
              <Button size="small" onClick={onCancelCorrection}>
                {t.cancelCorrection}
              </Button>
            ) : null}
          </div>
        ) : null}
        <p className="text-secondary">{t.itemsHint}</p>
        <form onSubmit={(ev) => void save(ev)} noValidate aria-busy={saving || undefined}>
          <fieldset disabled={saving} className="auth-fieldset">
            <div className="selfcheck-items">
              {mine.items.map((item, i) => {
                const a = values.answers[i] ?? {};
                const labelId = `selfcheck-item-${i}`;
                const descKey = `answers.${i}.description`;
                return (
                  <div key={item.categoryId} className={a.answer === 'yes' ? 'selfcheck-item yes' : 'selfcheck-item'} role="group" aria-labelledby={labelId}>
                    <div className="selfcheck-item-head">
                      <span id={labelId} className="selfcheck-item-name">
                        <span className="selfcheck-item-code">{item.code}</span>
                        {item.name}
                      </span>
                      <span className="field-inline">
                        {(['yes', 'no'] as const).map((v) => (
                          <label key={v}>
                            <input type="radio" name={`selfcheck-answer-${i}`} value={v} checked={a.answer === v} onChange={() => setAnswer(i, { answer: v })} />
                            {sc.common[v]}
                          </label>
                        ))}
                      </span>
                    </div>
                    {a.answer === 'yes' ? (
                      <Field id={fieldId(descKey)} label={sc.report.description} required error={errors[descKey]}>
                        {(aria) => (
                          <textarea
                            {...aria}
                            rows={2}
                            maxLength={2000}
                            placeholder={t.descriptionPlaceholder}
                            value={a.description ?? ''}
                            onChange={(x) => setAnswer(i, { description: x.target.value })}
                          />
                        )}
                      </Field>
                    ) : null}
                  </div>
                );
              })}
            </div>
            <Field id={fieldId('freeText')} label={sc.report.freeText} error={errors.freeText}>
              {(aria) => (
                <>
                  <textarea
                    {...aria}
                    rows={3}
                    maxLength={5000}
                    placeholder={t.freeTextPlaceholder}
                    value={values.freeText ?? ''}
                    onChange={(x) => {
                      setValues((v) => ({ ...v, freeText: x.target.value }));
                      setDirty(true);
                    }}
                  />
                  <span className="field-count">{(values.freeText ?? '').length} / 5000</span>
                </>
              )}
            </Field>
            <Button type={dirty || !draft ? 'primary' : 'default'} htmlType="submit" loading={saving}>
              {t.saveDraft}
            </Button>
          </fieldset>
        </form>
      </section>
      {draft ? <SignPanel mine={mine} draft={draft} dirty={dirty} onSigned={onChanged} /> : null}
    </>
  );
}

/** 签字承诺 over the saved draft: the pledge, the digest the signature will cover, the typed name. */
function SignPanel({ mine, draft, dirty, onSigned }: { mine: Mine; draft: Report; dirty: boolean; onSigned: () => Promise<void> }) {
  const { message } = useFeedback();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const unanswered = mine.items.length - draft.answers.length;

  const sign = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!name.trim()) {
      setError(t.signedNameRequired);
      document.getElementById(fieldId('signedName'))?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.post(`${MINE_KEY}/sign`, { campaignId: mine.campaign.id, signedName: name.trim(), digest: draft.digest });
      message.success(t.signed);
      await onSigned();
    } catch (err) {
      setError(placeErrors(err, message.error).signedName);
      // 409: the draft changed since this page read it; show what is there now, to be checked again.
      if (err instanceof ApiError && err.status === 409) await onSigned();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="selfcheck-sign">
      <div className="panel-title">
        <h2 id="selfcheck-sign">{t.signTitle}</h2>
        <span className="text-secondary">{t.answered(draft.answers.length, mine.items.length)}</span>
      </div>
      <p className="selfcheck-pledge">{mine.pledge}</p>
      <dl className="selfcheck-facts">
        <dt>{sc.report.digest}</dt>
        <dd>
          <code className="selfcheck-digest" data-testid="draft-digest">
            {draft.digest}
          </code>
        </dd>
        <dt>{t.savedAt}</dt>
        <dd>{formatDateTime(draft.updatedAt)}</dd>
      </dl>
      <p className="text-secondary">{t.digestHint}</p>
      {dirty ? (
        <p className="notice warning">{t.saveFirst}</p>
      ) : unanswered > 0 ? (
        <p className="notice warning">{t.unanswered(unanswered)}</p>
      ) : null}
      <form onSubmit={(ev) => void sign(ev)} noValidate aria-busy={busy || undefined}>
        <fieldset disabled={busy} className="auth-fieldset selfcheck-sign">
          <Field id={fieldId('signedName')} label={t.signedName} required error={error}>
            {(aria) => (
              <input
                {...aria}
                type="text"
                autoComplete="off"
                maxLength={30}
                value={name}
                onChange={(x) => {
                  setName(x.target.value);
                  setError(undefined);
                }}
              />
            )}
          </Field>
          <Button type="primary" htmlType="submit" loading={busy} disabled={dirty || unanswered > 0}>
            {t.sign}
          </Button>
        </fieldset>
      </form>
    </section>
  );
}

function Versions({ mine, onView }: { mine: Mine; onView: (id: string) => void }) {
  if (!mine.versions.length) return null;
  return (
    <section className="panel" aria-labelledby="selfcheck-versions">
      <div className="panel-title">
        <h2 id="selfcheck-versions">{t.versions}</h2>
      </div>
      <DataTable<Mine['versions'][number]>
        size="small"
        caption={t.versionsTable}
        dataSource={mine.versions}
        columns={[
          { title: t.versionCol, dataIndex: 'version', render: (v: number) => sc.common.version(v) },
          {
            title: t.status,
            dataIndex: 'statusLabel',
            render: (v: string, r) => <Tag color={r.status === 'signed' ? 'green' : r.status === 'draft' ? 'blue' : 'default'}>{v}</Tag>,
          },
          { title: sc.report.signedAt, dataIndex: 'signedAt', render: (v: string | null) => formatTime(v) },
          {
            title: common.actions,
            key: 'actions',
            render: (_: unknown, r) => (
              <button type="button" className="link-action" onClick={() => onView(r.id)} aria-label={`${t.view}${sc.common.version(r.version)}`}>
                {t.view}
              </button>
            ),
          },
        ]}
      />
    </section>
  );
}
