// 观评, loaded when first opened: what the officer took from an important event they followed (the
// mobilisation meeting, the “七一” ceremony…), at least 20 characters; writing again corrects it.
import { Form, Input } from 'antd';
import { api } from '../../api.js';
import { atLeast, atMost } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { useInvalidate } from '../../components/useList.js';
import { study as st } from '../../i18n/index.js';
import { ACTIVITIES_KEY, MY_REVIEWS_KEY, type ReviewTarget } from './shared.js';

const f = st.reviewForm;
const MIN = 20;

export default function ReviewModal({ open, target, onClose, onSaved }: { open: boolean; target: ReviewTarget; onClose: () => void; onSaved: () => void }) {
  const invalidate = useInvalidate();
  return (
    <FormDrawer<{ body: string }, { id: string; created: boolean }>
      as="modal"
      name="study-review"
      width={Math.min(680, window.innerWidth)}
      open={open}
      title={target.review ? f.editTitle : f.title}
      okText={f.ok}
      onClose={onClose}
      savedMessage={f.saved}
      initialValues={{ body: target.review?.body ?? '' }}
      onSubmit={(v) => api.put<{ id: string; created: boolean }>(`${ACTIVITIES_KEY}/${target.activityId}/review`, { body: v.body.trim() })}
      onSaved={() => {
        void invalidate(MY_REVIEWS_KEY, `${ACTIVITIES_KEY}/${target.activityId}/reviews`);
        onSaved();
      }}
    >
      <p className="notice info">
        {f.activity}：{target.activityTitle}
      </p>
      <Form.Item name="body" label={f.body} extra={f.bodyHelp} rules={[{ required: true, whitespace: true, message: f.bodyRequired }, atLeast(MIN, f.bodyMin), atMost(5000)]}>
        <Input.TextArea rows={8} showCount maxLength={5000} />
      </Form.Item>
    </FormDrawer>
  );
}
