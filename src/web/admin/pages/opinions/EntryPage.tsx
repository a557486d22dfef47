// 录入意见: opinions gathered offline (window cards with a photo of the card, the suggestion box,
// field visits, the hotline, paper questionnaires). Symposium opinions go with their meeting.
// On save the citizen's receipt (意见编号 + 查询码) is shown once, printable.
//
// A plain form (components/Field.tsx, native controls): the page staff open many times a day loads
// no form, date-picker or upload library — only the receipt dialog comes when it is shown.
import { lazy, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button, Col, Row, Tag } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.js';
import { useFeedback } from '../../components/feedback.js';
import { Field } from '../../components/Field.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { formatDate, formatTime } from '../../components/format.js';
import { CHANNELS, IDENTITY, MAX_CONTENT, OFFLINE_CHANNELS } from '../../../../shared/schemas/opinions.js';
import { isValidPhone } from '../../../../shared/validators.js';
import { common, opinions as ot } from '../../i18n/index.js';
import { similarity, StatusTag, useCategories, useInvalidateOpinions, type DuplicateRow, type Receipt } from './shared.js';

const e = ot.entry;
const MAX_FILES = 10;
const ReceiptModal = lazy(() => import('./ReceiptModal.js'));

interface EntryValues {
  channel: string;
  receivedOn: string;
  category: string;
  content: string;
  identity: 'named' | 'anonymous';
  name: string;
  phone: string;
  wantsContact: boolean;
}
type Errors = Partial<Record<keyof EntryValues | 'attachmentIds', string>>;

/** Today's calendar day in Asia/Shanghai (the bureau's day, whatever the browser's zone). */
const shanghaiToday = () => formatDate(new Date().toISOString());

const initial = (): EntryValues => ({
  channel: 'window_card',
  receivedOn: shanghaiToday(),
  category: '',
  content: '',
  identity: 'anonymous',
  name: '',
  phone: '',
  wantsContact: false,
});

function validate(v: EntryValues): Errors {
  const out: Errors = {};
  if (!v.channel) out.channel = e.chooseChannel;
  if (!v.receivedOn) out.receivedOn = e.receivedOnRequired;
  else if (v.receivedOn > shanghaiToday()) out.receivedOn = e.futureDate;
  if (!v.content.trim()) out.content = e.contentRequired;
  else if (v.content.trim().length < 5) out.content = e.contentMin;
  if (v.identity === 'named') {
    if (!v.name.trim()) out.name = e.nameRequired;
    if (!v.phone.trim()) out.phone = e.phoneRequired;
    else if (!isValidPhone(v.phone)) out.phone = e.phoneInvalid;
  }
  return out;
}

export default function EntryPage() {
  const { message } = useFeedback();
  const invalidate = useInvalidateOpinions();
  const { categoryOptions } = useCategories();
  const [values, setValues] = useState<EntryValues>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const uploads = useUploads(MAX_FILES);
  const [similar, setSimilar] = useState<DuplicateRow[]>([]);
  const [checkedText, setCheckedText] = useState('');
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<{ list: Receipt[]; date: string } | null>(null);

  const set = <K extends keyof EntryValues>(k: K, v: EntryValues[K]) => {
    setValues((cur) => ({ ...cur, [k]: v }));
    if (errors[k]) setErrors((cur) => ({ ...cur, [k]: undefined }));
  };

  const checkSimilar = async () => {
    const content = values.content.trim();
    if (content.length < 5 || content === checkedText) return;
    setCheckedText(content);
    try {
      const r = await api.post<{ items: DuplicateRow[] }>('/api/opinions/similar', { content });
      setSimilar(r.items);
    } catch {
      // Only a hint: entry goes on without it.
      setSimilar([]);
    }
  };

  const reset = () => {
    setValues(initial());
    setErrors({});
    uploads.reset();
    setSimilar([]);
    setCheckedText('');
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const problems = validate(values);
    setErrors(problems);
    const first = Object.keys(problems)[0];
    if (first) {
      document.getElementById(`entry-${first}`)?.focus();
      return;
    }
    if (uploads.uploading) {
      message.warning(common.uploading);
      return;
    }
    setBusy(true);
    const v = values;
    try {
      const r = await api.post<{ id: string; publicNo: string; receiptCode: string }>('/api/opinions', {
        channel: v.channel,
        receivedOn: v.receivedOn,
        ...(v.category ? { category: v.category } : {}),
        content: v.content,
        identity: v.identity,
        ...(v.identity === 'named' ? { name: v.name.trim(), phone: v.phone.trim(), wantsContact: v.wantsContact } : {}),
        attachmentIds: uploads.ids,
      });
      await invalidate();
      setReceipt({ list: [{ publicNo: r.publicNo, receiptCode: r.receiptCode }], date: v.receivedOn });
    } catch (err) {
      // The field the server names gets the message; anything else is a toast.
      if (err instanceof ApiError && err.field && err.field in values) {
        setErrors({ [err.field]: err.message } as Errors);
        document.getElementById(`entry-${err.field}`)?.focus();
      } else message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const isSymposium = values.channel === 'symposium';

  return (
    <>
      <PageHeader subTitle={e.subTitle} />
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <section className="panel">
            <form onSubmit={submit} noValidate aria-busy={busy || undefined}>
              <fieldset disabled={busy} className="auth-fieldset">
                <div className="field-row">
                  <Field id="entry-channel" label={e.channel} required error={errors.channel}>
                    {(a) => (
                      <select {...a} value={values.channel} onChange={(x) => set('channel', x.target.value)}>
                        {OFFLINE_CHANNELS.map((c) => (
                          <option key={c} value={c}>
                            {CHANNELS[c]}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field id="entry-receivedOn" label={e.receivedOn} required error={errors.receivedOn}>
                    {(a) => (
                      <input {...a} type="date" value={values.receivedOn} max={shanghaiToday()} onChange={(x) => set('receivedOn', x.target.value)} />
                    )}
                  </Field>
                </div>
                {isSymposium ? (
                  <p className="notice info">
                    {e.symposiumHint} <Link to="/symposiums">{e.goSymposium}</Link>
                  </p>
                ) : (
                  <>
                    <Field id="entry-category" label={e.category} hint={e.categoryHelp} error={errors.category}>
                      {(a) => (
                        <select {...a} value={values.category} onChange={(x) => set('category', x.target.value)}>
                          <option value="">{ot.common.unsorted}</option>
                          {categoryOptions.map((c) => (
                            <option key={c.value} value={c.value}>
                              {c.label}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field id="entry-content" label={e.content} required error={errors.content}>
                      {(a) => (
                        <>
                          <textarea
                            {...a}
                            rows={7}
                            maxLength={MAX_CONTENT}
                            value={values.content}
                            onChange={(x) => set('content', x.target.value)}
                            onBlur={() => void checkSimilar()}
                          />
                          <span className="field-count" aria-live="polite">
                            {values.content.length} / {MAX_CONTENT}
                          </span>
                        </>
                      )}
                    </Field>
                    {similar.length ? (
                      <div className="notice warning" role="status">
                        <strong>{e.similarFound(similar.length)}</strong>
                        <ul className="plain-list">
                          {similar.map((s) => (
                            <li key={s.id}>
                              <Link to={`/opinions?id=${s.id}`} target="_blank">
                                {s.publicNo}
                              </Link>{' '}
                              <Tag color="orange">
                                {ot.detail.similarity} {similarity(s.distance)}
                              </Tag>
                              <StatusTag status={s.status} /> <span className="text-secondary">{formatTime(s.submittedAt)}</span> <span>{s.excerpt}</span>
                            </li>
                          ))}
                        </ul>
                        <span className="text-secondary">{e.similarHelp}</span>
                      </div>
                    ) : null}
                    <Field id="entry-identity" label={e.identity} required group>
                      {() => (
                        <div className="field-inline">
                          {Object.entries(IDENTITY).map(([value, label]) => (
                            <label key={value}>
                              <input
                                type="radio"
                                name="identity"
                                value={value}
                                checked={values.identity === value}
                                onChange={() => set('identity', value as EntryValues['identity'])}
                              />
                              {label}
                            </label>
                          ))}
                        </div>
                      )}
                    </Field>
                    {values.identity === 'named' ? (
                      <div className="field-row">
                        <Field id="entry-name" label={e.name} required error={errors.name}>
                          {(a) => <input {...a} type="text" autoComplete="off" maxLength={30} value={values.name} onChange={(x) => set('name', x.target.value)} />}
                        </Field>
                        <Field id="entry-phone" label={e.phone} required error={errors.phone}>
                          {(a) => <input {...a} type="tel" inputMode="tel" autoComplete="off" value={values.phone} onChange={(x) => set('phone', x.target.value)} />}
                        </Field>
                        <div className="field field-inline" style={{ alignSelf: 'end' }}>
                          <label>
                            <input type="checkbox" checked={values.wantsContact} onChange={(x) => set('wantsContact', x.target.checked)} />
                            {e.wantsContact}
                          </label>
                        </div>
                      </div>
                    ) : null}
                    <Field id="entry-attachments" label={e.attachments} hint={values.channel === 'window_card' ? e.cardPhotoHelp : e.attachmentsHelp}>
                      {(a) => (
                        <>
                          <input {...a} type="file" multiple accept="image/*,.pdf" disabled={uploads.full} onChange={(x) => uploads.add(x.target)} />
                          <UploadList uploads={uploads} label={e.attachments} />
                        </>
                      )}
                    </Field>
                    <div className="form-actions">
                      <Button onClick={reset}>{ot.common.cancel}</Button>
                      <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
                        {e.save}
                      </Button>
                    </div>
                  </>
                )}
              </fieldset>
            </form>
          </section>
        </Col>
      </Row>
      <OnDemand open={receipt !== null}>
        <ReceiptModal
          receipts={receipt?.list ?? null}
          date={receipt?.date}
          okText={e.next}
          onClose={() => {
            setReceipt(null);
            reset();
          }}
        />
      </OnDemand>
    </>
  );
}
