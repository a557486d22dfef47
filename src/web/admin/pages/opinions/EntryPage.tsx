// 录入意见: opinions gathered offline (window cards with a photo of the card, the suggestion box,
// field visits, the hotline, paper questionnaires). Symposium opinions go with their meeting.
// On save the citizen's receipt (意见编号 + 查询码) is shown once, printable.
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Flex, Form, Input, List, Radio, Row, Select, Tag, Typography, Upload } from 'antd';
import type { UploadFile, UploadProps } from 'antd';
import { InboxOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApiError } from '../../components/useApiError.js';
import { formatDate, formatTime } from '../../components/format.js';
import { CHANNELS, IDENTITY, MAX_CONTENT, OFFLINE_CHANNELS } from '../../../../shared/schemas/opinions.js';
import { isValidPhone } from '../../../../shared/validators.js';
import { ot } from './i18n.js';
import { ReceiptModal, similarity, StatusTag, useCategories, useInvalidateOpinions, type DuplicateRow, type Receipt } from './shared.js';

const e = ot.entry;
const MAX_FILES = 10;

interface EntryForm {
  channel: string;
  receivedOn: Dayjs;
  category?: string;
  content: string;
  identity: 'named' | 'anonymous';
  name?: string;
  phone?: string;
  wantsContact?: boolean;
}

/** Today's calendar day in Asia/Shanghai (the bureau's day, whatever the browser's zone). */
const shanghaiToday = () => formatDate(new Date().toISOString());

export default function EntryPage() {
  const [form] = Form.useForm<EntryForm>();
  const { message } = App.useApp();
  const showError = useApiError();
  const invalidate = useInvalidateOpinions();
  const { categoryOptions } = useCategories();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [similar, setSimilar] = useState<DuplicateRow[]>([]);
  const [checkedText, setCheckedText] = useState('');
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<{ list: Receipt[]; date: string } | null>(null);
  const channel = Form.useWatch('channel', form);
  const identity = Form.useWatch('identity', form);

  const checkSimilar = async () => {
    const content = (form.getFieldValue('content') as string | undefined)?.trim() ?? '';
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

  const upload: UploadProps['customRequest'] = async (opts) => {
    const fd = new FormData();
    fd.append('file', opts.file as Blob, (opts.file as File).name);
    try {
      const r = await api.upload<{ id: string }>('/api/files', fd);
      opts.onSuccess?.(r);
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
      opts.onError?.(err as Error);
    }
  };

  const reset = () => {
    form.resetFields();
    setFiles([]);
    setSimilar([]);
    setCheckedText('');
  };

  const submit = async (v: EntryForm) => {
    if (files.some((f) => f.status === 'uploading')) {
      message.warning(e.uploading);
      return;
    }
    setBusy(true);
    const receivedOn = v.receivedOn.format('YYYY-MM-DD');
    try {
      const r = await api.post<{ id: string; publicNo: string; receiptCode: string }>('/api/opinions', {
        channel: v.channel,
        receivedOn,
        ...(v.category ? { category: v.category } : {}),
        content: v.content,
        identity: v.identity,
        ...(v.identity === 'named' ? { name: v.name?.trim(), phone: v.phone?.trim(), wantsContact: Boolean(v.wantsContact) } : {}),
        attachmentIds: files.filter((f) => f.status === 'done' && f.response?.id).map((f) => f.response.id as string),
      });
      await invalidate();
      setReceipt({ list: [{ publicNo: r.publicNo, receiptCode: r.receiptCode }], date: receivedOn });
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  const isSymposium = channel === 'symposium';

  return (
    <>
      <PageHeader title={e.title} subTitle={e.subTitle} />
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card>
            <Form<EntryForm>
              form={form}
              name="opinion-entry"
              layout="vertical"
              onFinish={submit}
              disabled={busy}
              initialValues={{ channel: 'window_card', identity: 'anonymous', receivedOn: dayjs(shanghaiToday()) }}
            >
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="channel" label={e.channel} rules={[{ required: true, message: e.chooseChannel }]}>
                    <Select options={OFFLINE_CHANNELS.map((c) => ({ value: c, label: CHANNELS[c] }))} placeholder={e.chooseChannel} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="receivedOn"
                    label={e.receivedOn}
                    rules={[
                      { required: true, message: e.receivedOnRequired },
                      {
                        validator: async (_, v?: Dayjs) => {
                          if (v && v.format('YYYY-MM-DD') > shanghaiToday()) throw new Error(e.futureDate);
                        },
                      },
                    ]}
                  >
                    <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > shanghaiToday()} />
                  </Form.Item>
                </Col>
              </Row>
              {isSymposium ? (
                <Alert
                  type="info"
                  showIcon
                  title={e.symposiumHint}
                  action={
                    <Link to="/symposiums">
                      <Button type="primary" size="small">
                        {e.goSymposium}
                      </Button>
                    </Link>
                  }
                />
              ) : (
                <>
                  <Form.Item name="category" label={e.category} extra={e.categoryHelp}>
                    <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={categoryOptions} />
                  </Form.Item>
                  <Form.Item
                    name="content"
                    label={e.content}
                    rules={[
                      { required: true, whitespace: true, message: e.contentRequired },
                      { min: 5, message: e.contentMin },
                    ]}
                  >
                    <Input.TextArea rows={7} showCount maxLength={MAX_CONTENT} onBlur={() => void checkSimilar()} />
                  </Form.Item>
                  {similar.length ? (
                    <Alert
                      type="warning"
                      showIcon
                      style={{ marginBottom: 16 }}
                      title={e.similarFound(similar.length)}
                      description={
                        <>
                          <List
                            size="small"
                            dataSource={similar}
                            renderItem={(s) => (
                              <List.Item>
                                <Flex gap={8} wrap align="center">
                                  <Link to={`/opinions?id=${s.id}`} target="_blank">
                                    {s.publicNo}
                                  </Link>
                                  <Tag color="orange">
                                    {ot.detail.similarity} {similarity(s.distance)}
                                  </Tag>
                                  <StatusTag status={s.status} />
                                  <Typography.Text type="secondary">{formatTime(s.submittedAt)}</Typography.Text>
                                  <span>{s.excerpt}</span>
                                </Flex>
                              </List.Item>
                            )}
                          />
                          <Typography.Text type="secondary">{e.similarHelp}</Typography.Text>
                        </>
                      }
                    />
                  ) : null}
                  <Form.Item name="identity" label={e.identity} rules={[{ required: true }]}>
                    <Radio.Group options={Object.entries(IDENTITY).map(([value, label]) => ({ value, label }))} />
                  </Form.Item>
                  {identity === 'named' ? (
                    <Row gutter={16}>
                      <Col xs={24} md={8}>
                        <Form.Item name="name" label={e.name} rules={[{ required: true, whitespace: true, message: e.nameRequired }, { max: 30 }]}>
                          <Input autoComplete="off" />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={8}>
                        <Form.Item
                          name="phone"
                          label={e.phone}
                          rules={[
                            { required: true, whitespace: true, message: e.phoneRequired },
                            {
                              validator: async (_, v?: string) => {
                                if (v && v.trim() && !isValidPhone(v)) throw new Error(e.phoneInvalid);
                              },
                            },
                          ]}
                        >
                          <Input inputMode="tel" autoComplete="off" />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={8}>
                        <Form.Item name="wantsContact" label=" " valuePropName="checked">
                          <Checkbox>{e.wantsContact}</Checkbox>
                        </Form.Item>
                      </Col>
                    </Row>
                  ) : null}
                  <Form.Item label={e.attachments} extra={channel === 'window_card' ? e.cardPhotoHelp : e.attachmentsHelp}>
                    <Upload.Dragger
                      name="file"
                      multiple
                      listType="picture"
                      accept="image/*,.pdf"
                      maxCount={MAX_FILES}
                      fileList={files}
                      customRequest={upload}
                      onChange={({ fileList }) => setFiles(fileList.filter((f) => f.status !== 'error'))}
                    >
                      <p className="ant-upload-drag-icon">
                        <InboxOutlined />
                      </p>
                      <p className="ant-upload-text">{e.upload}</p>
                      <p className="ant-upload-hint">{e.attachmentsHelp}</p>
                    </Upload.Dragger>
                  </Form.Item>
                  <Flex justify="flex-end" gap={8}>
                    <Button onClick={reset}>{ot.common.cancel}</Button>
                    <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
                      {e.save}
                    </Button>
                  </Flex>
                </>
              )}
            </Form>
          </Card>
        </Col>
      </Row>
      <ReceiptModal
        receipts={receipt?.list ?? null}
        date={receipt?.date}
        okText={e.next}
        onClose={() => {
          setReceipt(null);
          reset();
        }}
      />
    </>
  );
}
