// A form in a drawer (or a modal): the create and edit forms of every page. It mounts a fresh form
// for every opening, sends it with 保存, keeps the buttons busy meanwhile, and shows a refusal on the
// fields the server named (useApiError). The page writes the Form.Items and what saving sends.
//
//   <FormDrawer open={editing !== null} title="编辑账号" initialValues={…}
//     onSubmit={(v) => api.patch(`/api/users/${id}`, v)} onSaved={() => { close(); invalidate('/api/users'); }}>
//     <Form.Item name="displayName" label="姓名" rules={[{ required: true }]}><Input /></Form.Item>
//   </FormDrawer>
import { useState, type ReactNode } from 'react';
import { Button, Drawer, Flex, Form, Modal } from 'antd';
import { useFeedback } from './feedback.js';
import type { FormInstance } from 'antd';
import { common } from '../i18n/index.js';
import { useApiError } from './useApiError.js';

export interface FormDrawerProps<V extends object, R = unknown> {
  open: boolean;
  title: ReactNode;
  /** Values the form opens with (read once per opening). */
  initialValues?: Partial<V> | Record<string, unknown>;
  /** Sends the form; a rejection is shown on the form. */
  onSubmit: (values: V, form: FormInstance<V>) => Promise<R>;
  /** After a successful save (close the drawer, refresh lists…). */
  onSaved: (result: R, values: V) => void;
  onClose: () => void;
  /** The toast after saving (by default 已保存); null: none (the page shows something else, a one-time secret say). */
  savedMessage?: string | null | ((result: R) => string | null);
  /** Body keys the server may name → the form field that edits them (startDate → dates). */
  errorAlias?: Record<string, string>;
  okText?: string;
  /** A save that is a refusal or a removal (驳回): the button says so in red. */
  okDanger?: boolean;
  /** After a refusal has been shown (the record may have changed meanwhile: refresh it). */
  onFailed?: (err: unknown) => void;
  /** Only look at it: no save button. */
  readOnly?: boolean;
  as?: 'drawer' | 'modal';
  width?: number;
  /** The Form.Items; a function gets the form (to fill one field from another). */
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  /** Form name, for ids (and tests) to tell forms apart. */
  name?: string;
}

export function FormDrawer<V extends object, R = unknown>(p: FormDrawerProps<V, R>) {
  const [form] = Form.useForm<V>();
  const { message } = useFeedback();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);
  // A fresh form for every opening: nothing of the last one lingers. It stays while the drawer slides out.
  // The new form is chosen while rendering the opening itself (React's "state from the previous render"),
  // not in an effect after it: an effect would remount the form a frame later and drop what was typed
  // in between (a browser test typing at once under load did lose it).
  const [seq, setSeq] = useState(0);
  const [shown, setShown] = useState(p.open);
  const [wasOpen, setWasOpen] = useState(p.open);
  if (p.open !== wasOpen) {
    setWasOpen(p.open);
    if (p.open) {
      setSeq((n) => n + 1);
      setShown(true);
    }
  }
  const afterOpenChange = (open: boolean) => {
    if (!open) setShown(false);
  };

  const submit = async (values: V) => {
    setBusy(true);
    try {
      const r = await p.onSubmit(values, form);
      const text = typeof p.savedMessage === 'function' ? p.savedMessage(r) : p.savedMessage === undefined ? common.saved : p.savedMessage;
      if (text) message.success(text);
      p.onSaved(r, values);
    } catch (err) {
      showError(err, form, p.errorAlias);
      p.onFailed?.(err);
    } finally {
      setBusy(false);
    }
  };

  const footer = (
    <Flex justify="flex-end" gap={8}>
      <Button onClick={p.onClose}>{p.readOnly ? common.close : common.cancel}</Button>
      {p.readOnly ? null : (
        <Button type="primary" danger={p.okDanger} loading={busy} onClick={() => form.submit()}>
          {p.okText ?? common.save}
        </Button>
      )}
    </Flex>
  );
  const body = p.open || shown ? (
    <Form<V> key={seq} form={form} name={p.name} layout="vertical" initialValues={p.initialValues} onFinish={submit} disabled={busy || p.readOnly}>
      {typeof p.children === 'function' ? p.children(form) : p.children}
    </Form>
  ) : null;

  return p.as === 'modal' ? (
    <Modal open={p.open} title={p.title} onCancel={p.onClose} footer={footer} width={p.width} afterOpenChange={afterOpenChange} destroyOnHidden>
      {body}
    </Modal>
  ) : (
    <Drawer open={p.open} title={p.title} size={p.width ?? 520} onClose={p.onClose} footer={footer} afterOpenChange={afterOpenChange} destroyOnHidden>
      {body}
    </Drawer>
  );
}
