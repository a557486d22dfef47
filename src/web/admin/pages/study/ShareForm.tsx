// 发布分享, loaded when first opened: a text (学习感悟, 红色故事…) or an audio reading (a recording uploaded
// as it is picked: MP3, or what phones and WeChat record — M4A, AAC, AMR, WAV). Field names are the API's, so a refusal naming
// a field (body, audioFileId) lands on it.
import { useEffect } from 'react';
import { Form, Input, Radio, Select } from 'antd';
import { api } from '../../api.js';
import { atLeast, atMost, labelOptions } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { study as st } from '../../i18n/index.js';
import { SHARE_CATEGORIES, SHARE_KINDS, type ShareCategory, type ShareKind } from '../../../../shared/schemas/study-labels.js';
import { SHARES_KEY } from './shared.js';

const f = st.shareForm;

interface ShareValues {
  kind: ShareKind;
  category: ShareCategory;
  title: string;
  body?: string;
}

export default function ShareFormDrawer({ open, campaignId, onClose, onSaved }: { open: boolean; campaignId: string; onClose: () => void; onSaved: () => void }) {
  const uploads = useUploads(1);
  const { reset } = uploads;
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  return (
    <FormDrawer<ShareValues, { id: string }>
      name="study-share"
      open={open}
      title={f.title}
      width={Math.min(640, window.innerWidth)}
      okText={f.ok}
      onClose={onClose}
      savedMessage={f.created}
      initialValues={{ kind: 'text', category: 'feeling' }}
      onSubmit={(v) => {
        if (uploads.uploading) throw new Error(f.uploading);
        const audioFileId = v.kind === 'audio' ? uploads.ids[0] : undefined;
        if (v.kind === 'audio' && !audioFileId) throw new Error(f.audioRequired);
        return api.post<{ id: string }>(SHARES_KEY, {
          kind: v.kind,
          category: v.category,
          title: v.title.trim(),
          body: v.body?.trim() || null,
          audioFileId: audioFileId ?? null,
          campaignId,
        });
      }}
      onSaved={onSaved}
    >
      <Form.Item name="kind" label={f.kind} rules={[{ required: true }]}>
        <Radio.Group options={labelOptions(SHARE_KINDS)} optionType="button" />
      </Form.Item>
      <Form.Item name="category" label={f.category} rules={[{ required: true, message: f.categoryRequired }]}>
        <Select options={labelOptions(SHARE_CATEGORIES)} />
      </Form.Item>
      <Form.Item name="title" label={f.shareTitle} rules={[{ required: true, whitespace: true, message: f.titleRequired }, atLeast(2, f.titleMin), atMost(100)]}>
        <Input showCount maxLength={100} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
        {({ getFieldValue }) => {
          const audio = getFieldValue('kind') === 'audio';
          return (
            <>
              <Form.Item
                name="body"
                label={f.body}
                extra={audio ? f.bodyHelpAudio : undefined}
                rules={[...(audio ? [] : [{ required: true, whitespace: true, message: f.bodyRequired }]), atMost(10_000)]}
              >
                <Input.TextArea rows={audio ? 3 : 8} showCount maxLength={10_000} />
              </Form.Item>
              {audio ? (
                <Form.Item label={f.audio} htmlFor="share-audio" extra={f.audioHelp} required>
                  <input id="share-audio" type="file" accept="audio/mpeg,audio/mp4,audio/x-m4a,audio/aac,audio/amr,audio/wav,.mp3,.m4a,.aac,.amr,.wav" disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
                  <UploadList uploads={uploads} label={f.audio} />
                </Form.Item>
              ) : null}
            </>
          );
        }}
      </Form.Item>
    </FormDrawer>
  );
}
