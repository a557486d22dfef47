// The one way pages show a failed request: on the form fields the server named (ApiError.field /
// details, including fields inside lists such as 'opinions.0.content'), and as a toast.
//
//   const showError = useApiError();
//   try { … } catch (err) { showError(err, form); }                 // a form's fields
//   onError: (e) => showError(e, form, { startDate: 'dates' })      // a body key edited by another field
import { useCallback } from 'react';
import type { FormInstance } from 'antd';
import { useFeedback } from './feedback.js';
import { ApiError } from '../api.js';

type FieldName = string | (string | number)[];

/** 'opinions.0.content' → ['opinions', 0, 'content']: Form.List fields are addressed by path. */
function fieldPath(field: string, alias: Record<string, string>): FieldName {
  const name = alias[field] ?? field;
  if (!name.includes('.')) return name;
  return name.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function useApiError() {
  const { message } = useFeedback();
  return useCallback(
    (err: unknown, form?: FormInstance, alias: Record<string, string> = {}) => {
      const text = err instanceof Error ? err.message : String(err);
      if (form && err instanceof ApiError) {
        const issues = err.details?.length ? err.details : err.field ? [{ field: err.field, message: err.message }] : [];
        const byField = new Map<string, { name: FieldName; errors: string[] }>();
        for (const i of issues) {
          const name = fieldPath(i.field, alias);
          const key = JSON.stringify(name);
          byField.set(key, { name, errors: [...(byField.get(key)?.errors ?? []), i.message] });
        }
        // Only fields the form has: a body key no field edits must still reach the user (as a toast).
        const fields = [...byField.values()].filter((f) => isRegistered(form, f.name));
        if (fields.length) {
          form.setFields(fields);
          // Long forms (the role drawer) may have the field out of view.
          form.scrollToField(fields[0]!.name as never, { block: 'center' });
          // Every problem sits on its field: nothing more to say. Otherwise the toast carries the rest.
          if (fields.length === byField.size) return;
        }
      }
      message.error(text);
    },
    [message],
  );
}

/** Whether a Form.Item with this name is mounted (the filter callback sees every registered field). */
function isRegistered(form: FormInstance, name: FieldName): boolean {
  const want = JSON.stringify(Array.isArray(name) ? name : [name]);
  let found = false;
  form.getFieldsValue(true, (meta) => {
    if (meta && JSON.stringify(meta.name) === want) found = true;
    return false;
  });
  return found;
}
