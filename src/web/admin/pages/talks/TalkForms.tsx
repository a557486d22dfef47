// 谈心谈话's forms, loaded when first opened: 记录谈话 (who talked with whom, when, why, about what, how
// it went, what follows) and 新增轮次. Field names are the API's, so a refusal naming a field (heldOn,
// talkeePersonIds.0, round…) lands on it.
import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { CheckGroup } from '../../components/CheckGroup.js';
import { dayjs } from '../../components/dayjs.js';
import { formatDate } from '../../components/format.js';
import { apiDate, atLeast, atMost, labelOptions as options, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { talks as tt } from '../../i18n/index.js';
import { MUST_TALK_REASONS, TALK_TOPICS, type MustTalkReason, type TalkTopic } from '../../../../shared/schemas/talk-labels.js';
import { ROUNDS_KEY, TALKS_KEY, type Round, type TalkRow } from './shared.js';

const f = tt.talkForm;
/** The server names a talkee by position (talkeePersonIds.3): the picker holds them all. */
const TALKEE_ALIAS = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`talkeePersonIds.${i}`, 'talkeePersonIds']));

interface TalkValues {
  roundId: string;
  talkerPersonId: PersonOption;
  talkeePersonIds: PersonOption[];
  heldOn: Dayjs;
  reason?: MustTalkReason | null;
  topics: TalkTopic[];
  summary: string;
  followUp?: string;
}

/**
 * 记录谈话, or 更正 one already recorded (`talk`): everything but its round can be corrected, including
 * who took part — a mis-picked talkee is replaced, and coverage follows.
 */
export function TalkDrawer({ open, rounds, roundId, talk, onClose, onSaved }: {
  open: boolean;
  rounds: Round[];
  /** The round shown on the page: a new talk starts on it. */
  roundId: string | undefined;
  /** The talk to correct; none for a new one. */
  talk?: TalkRow | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const roundOf = (id: string | undefined) => rounds.find((r) => r.id === id);
  const initialValues: Partial<TalkValues> = talk
    ? {
        roundId: talk.roundId,
        talkerPersonId: { value: talk.talkerPersonId, label: talk.talkerName },
        talkeePersonIds: talk.talkees.map((p) => ({ value: p.id, label: p.name })),
        heldOn: dayjs(talk.heldOn),
        reason: talk.reason,
        topics: talk.topics,
        summary: talk.summary,
        followUp: talk.followUp ?? undefined,
      }
    : { roundId, talkeePersonIds: [], topics: [] };
  return (
    <FormDrawer<TalkValues, { id: string }>
      name="talk"
      open={open}
      title={talk ? f.editTitle : f.title}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      savedMessage={talk ? f.updated : f.created}
      errorAlias={TALKEE_ALIAS}
      initialValues={initialValues}
      onSubmit={(v) => {
        const body = {
          talkerPersonId: v.talkerPersonId.value,
          talkeePersonIds: v.talkeePersonIds.map((p) => p.value),
          heldOn: apiDate(v.heldOn),
          reason: v.reason ?? null,
          topics: v.topics,
          summary: v.summary.trim(),
          followUp: v.followUp?.trim() || null,
        };
        return talk ? api.patch<{ id: string }>(`${TALKS_KEY}/${talk.id}`, { roundId: v.roundId, ...body }) : api.post<{ id: string }>(TALKS_KEY, { roundId: v.roundId, ...body });
      }}
      onSaved={onSaved}
    >
      <Form.Item name="roundId" label={f.round} rules={[{ required: true, message: f.roundRequired }]}>
        <Select options={rounds.map((r) => ({ value: r.id, label: tt.page.roundText(r.round, r.name) }))} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={10}>
          <Form.Item name="talkerPersonId" label={f.talker} rules={[{ required: true, message: f.talkerRequired }]}>
            <PersonSelect placeholder={tt.common.personPlaceholder} />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item
            name="talkeePersonIds"
            label={f.talkees}
            extra={f.talkeesHelp}
            dependencies={['talkerPersonId']}
            rules={[
              { required: true, type: 'array', min: 1, message: f.talkeesRequired },
              ({ getFieldValue }) => ({
                validator: async (_, v?: PersonOption[]) => {
                  const talker = getFieldValue('talkerPersonId') as PersonOption | undefined;
                  if (talker && v?.some((p) => p.value === talker.value)) throw new Error(f.talkerIsTalkee);
                },
              }),
            ]}
          >
            <PersonSelect multiple placeholder={tt.common.personPlaceholder} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item noStyle shouldUpdate={(a, b) => a.roundId !== b.roundId}>
        {({ getFieldValue }) => {
          const r = roundOf(getFieldValue('roundId'));
          const from = r?.startDate ? dayjs(r.startDate) : null;
          const to = r?.endDate ? dayjs(r.endDate) : null;
          return (
            <Row gutter={12}>
              <Col xs={24} md={10}>
                <Form.Item
                  name="heldOn"
                  label={f.heldOn}
                  extra={r && (r.startDate || r.endDate) ? f.heldOnHelp(`${formatDate(r.startDate)} 至 ${formatDate(r.endDate)}`) : undefined}
                  rules={[{ required: true, message: f.heldOnRequired }]}
                >
                  <DatePicker
                    style={{ width: '100%' }}
                    defaultPickerValue={to && to.isBefore(today()) ? to : undefined}
                    disabledDate={(v) => v.isAfter(today(), 'day') || Boolean(from && v.isBefore(from, 'day')) || Boolean(to && v.isAfter(to, 'day'))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={14}>
                <Form.Item name="reason" label={f.reason} extra={f.reasonHelp}>
                  <Select allowClear options={options(MUST_TALK_REASONS)} />
                </Form.Item>
              </Col>
            </Row>
          );
        }}
      </Form.Item>
      <Form.Item name="topics" label={f.topics} rules={[{ required: true, type: 'array', min: 1, message: f.topicsRequired }]}>
        <CheckGroup label={f.topics} options={options(TALK_TOPICS)} />
      </Form.Item>
      <Form.Item
        name="summary"
        label={f.summary}
        rules={[{ required: true, whitespace: true, message: f.summaryRequired }, atLeast(10, f.summaryMin), atMost(5000)]}
      >
        <Input.TextArea rows={4} showCount maxLength={5000} />
      </Form.Item>
      <Form.Item name="followUp" label={f.followUp} extra={f.followUpHelp} rules={[atMost(2000)]}>
        <Input.TextArea rows={2} showCount maxLength={2000} />
      </Form.Item>
    </FormDrawer>
  );
}

interface RoundValues {
  round: number;
  name: string;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
}

/** 新增轮次: its number (the next one by default), name and optional dates. */
export function RoundModal({ open, campaignId, next, onClose, onSaved }: {
  open: boolean;
  campaignId: string;
  next: number;
  onClose: () => void;
  /** With the new round's id. */
  onSaved: (id: string) => void;
}) {
  const r = tt.roundForm;
  return (
    <FormDrawer<RoundValues, { id: string }>
      as="modal"
      name="talk-round"
      width={560}
      open={open}
      title={r.title}
      onClose={onClose}
      savedMessage={r.created}
      initialValues={{ round: next, name: r.namePlaceholder(next) }}
      onSubmit={(v) =>
        api.post<{ id: string }>(ROUNDS_KEY, {
          campaignId,
          round: v.round,
          name: v.name.trim(),
          startDate: apiDate(v.startDate),
          endDate: apiDate(v.endDate),
        })
      }
      onSaved={(res) => onSaved(res.id)}
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="round" label={r.round} rules={[{ required: true, message: r.roundRequired }, { type: 'integer', min: 1, max: 20, message: r.roundRange }]}>
            <InputNumber min={1} max={20} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name="name"
            label={r.name}
            rules={[{ required: true, whitespace: true, message: r.nameRequired }, atLeast(2, r.nameMin), atMost(50)]}
          >
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="startDate" label={r.startDate} extra={r.datesHelp}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="endDate"
            label={r.endDate}
            dependencies={['startDate']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, v?: Dayjs | null) => {
                  const start = getFieldValue('startDate') as Dayjs | null | undefined;
                  if (v && start && v.isBefore(start, 'day')) throw new Error(r.endBeforeStart);
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </FormDrawer>
  );
}
