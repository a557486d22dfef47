// The create/edit dialog of a tree page (TreePage), from the page's form module.
import { common } from '../i18n/index.js';
import { FormDrawer } from './FormDrawer.js';
import type { TreeFormModalProps, TreeFormSpec } from './TreePage.js';

export function TreeFormModal<T, V extends object>({ spec, editing, onClose, onSaved }: TreeFormModalProps<T> & { spec: TreeFormSpec<T, V> }) {
  return (
    <FormDrawer<V, string>
      as="modal"
      open={editing !== null}
      title={editing ? spec.title(editing) : ''}
      initialValues={editing ? spec.initialValues(editing) : undefined}
      savedMessage={editing?.mode === 'edit' ? common.saved : common.created}
      onClose={onClose}
      onSubmit={(v) => spec.submit(editing!, v)}
      onSaved={(id) => onSaved(id)}
    >
      {(form) => (editing ? spec.fields(editing, form) : null)}
    </FormDrawer>
  );
}
