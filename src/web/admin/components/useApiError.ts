// Shows an API error where the user looks: on the form field the server named, else as a toast.
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api.js';

export function useApiError() {
  const { message } = App.useApp();
  return useCallback(
    (err: unknown, form?: FormInstance) => {
      if (err instanceof ApiError && form) {
        const known = new Set(Object.keys(form.getFieldsValue() ?? {}));
        const fields = [
          ...(err.field ? [{ field: err.field, message: err.message }] : []),
          ...(err.details ?? []).map((d) => ({ field: d.field, message: d.message })),
        ].filter((f) => known.has(f.field));
        if (fields.length) {
          form.setFields(fields.map((f) => ({ name: f.field, errors: [f.message] })));
          form.scrollToField(fields[0]!.field);
          return;
        }
      }
      message.error(err instanceof Error ? err.message : String(err));
    },
    [message],
  );
}
