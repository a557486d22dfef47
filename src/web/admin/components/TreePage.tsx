// The shape of a page that maintains a tree (单位管理, 党组织): the searchable tree on the left, the
// selected node's details on the right with 新增下级 / 编辑 / 删除, and one form (in a modal) for
// creating and editing. A page writes the details it shows, the form's fields and what saving sends.
import { lazy, Suspense, useMemo, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { Button, Col, Descriptions, Empty, Row } from 'antd';
import { useFeedback } from './feedback.js';
import type { DescriptionsProps, FormInstance } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { common } from '../i18n/index.js';
import { ConfirmButton } from './ConfirmButton.js';
import { PageHeader } from './PageHeader.js';
import { TreePanel, type TreeItem } from './TreePanel.js';
import { useApiError } from './useApiError.js';

/** What the form is for: a new node (under `parent`, or a root) or an existing one. */
export type TreeEditing<T> = { mode: 'create'; parent: T | null } | { mode: 'edit'; item: T };

/** What a tree page's form module exports (default): its title, starting values, fields and save. */
export interface TreeFormSpec<T, V extends object> {
  title: (e: TreeEditing<T>) => string;
  initialValues: (e: TreeEditing<T>) => Partial<V>;
  fields: (e: TreeEditing<T>, form: FormInstance<V>) => ReactNode;
  /** Saves; answers the id of the node to select afterwards. */
  submit: (e: TreeEditing<T>, values: V) => Promise<string>;
}

export interface TreeFormModalProps<T> {
  editing: TreeEditing<T> | null;
  onClose: () => void;
  onSaved: (id: string) => void;
}

export interface TreePageProps<T extends TreeItem, V extends object> {
  items: readonly T[];
  loading: boolean;
  treeTitle: string;
  searchPlaceholder: string;
  /** Shown greyed in the tree (still selectable), e.g. units outside the viewer's scope. */
  muted?: (item: T) => boolean;
  /** Empty right side: what to do. */
  pickHint: string;
  details: (item: T) => DescriptionsProps['items'];
  /** Whether the viewer may change this node (add below, edit, delete). */
  canEdit: (item: T | null) => boolean;
  /** A button to create a top-level node (its label), for those who may. */
  addRootLabel?: string;
  addChildLabel: string;
  /** Why deleting may fail (shown in the confirmation), or a reason it cannot be offered at all. */
  deleteNote?: (item: T) => string | undefined;
  deleteDisabled?: (item: T) => boolean;
  onDelete: (item: T) => Promise<unknown>;
  /** The create/edit form, from its own module: it loads when first opened, not with the page. */
  loadForm: () => Promise<{ default: TreeFormSpec<T, V> }>;
  /** After any change (refresh the cached tree). */
  onChanged: () => unknown;
}

export function TreePage<T extends TreeItem, V extends object>(p: TreePageProps<T, V>) {
  const { message } = useFeedback();
  const showError = useApiError();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<TreeEditing<T> | null>(null);
  const selected = useMemo(() => p.items.find((i) => i.id === selectedId) ?? null, [p.items, selectedId]);
  const writable = Boolean(selected && p.canEdit(selected));
  // The form's module and the form machinery arrive together, the first time the form opens.
  const FormModal = useMemo(
    () =>
      lazy(async () => {
        const [{ TreeFormModal }, spec] = await Promise.all([import('./TreeFormModal.js'), p.loadForm()]);
        const Bound: ComponentType<TreeFormModalProps<T>> = (props) => <TreeFormModal<T, V> spec={spec.default} {...props} />;
        return { default: Bound };
      }),
    [],
  );
  const formShown = useRef(false);
  if (editing) formShown.current = true;

  const remove = async (item: T) => {
    try {
      await p.onDelete(item);
      message.success(common.deleted);
      setSelectedId(item.parentId);
      await p.onChanged();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <>
      <PageHeader
        extra={
          p.addRootLabel && p.canEdit(null) ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create', parent: null })}>
              {p.addRootLabel}
            </Button>
          ) : null
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={9} xl={7}>
          <TreePanel
            title={p.treeTitle}
            items={p.items}
            loading={p.loading}
            selectedId={selectedId}
            onSelect={(id) => setSelectedId(id)}
            searchPlaceholder={p.searchPlaceholder}
            muted={p.muted}
          />
        </Col>
        <Col xs={24} md={15} xl={17}>
          <section className="panel" aria-label={selected?.name}>
            <div className="panel-title">
              <h2>{selected ? selected.name : p.pickHint}</h2>
              {selected && writable ? (
                <div>
                  <Button icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create', parent: selected })} style={{ marginInlineEnd: 8 }}>
                    {p.addChildLabel}
                  </Button>
                  <Button icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', item: selected })} style={{ marginInlineEnd: 8 }}>
                    {common.edit}
                  </Button>
                  <ConfirmButton
                    variant="button"
                    danger
                    icon={<DeleteOutlined aria-hidden />}
                    title={common.deleteConfirm(selected.name)}
                    description={p.deleteNote?.(selected)}
                    onConfirm={() => remove(selected)}
                    disabled={p.deleteDisabled?.(selected)}
                  >
                    {common.delete}
                  </ConfirmButton>
                </div>
              ) : null}
            </div>
            {selected ? (
              <Descriptions column={{ xs: 1, sm: 2 }} bordered size="small" items={p.details(selected)} />
            ) : (
              <Empty description={p.pickHint} />
            )}
          </section>
        </Col>
      </Row>
      {editing || formShown.current ? (
        <Suspense fallback={null}>
          <FormModal
            editing={editing}
            onClose={() => setEditing(null)}
            onSaved={(id) => {
              setEditing(null);
              setSelectedId(id);
              void p.onChanged();
            }}
          />
        </Suspense>
      ) : null}
    </>
  );
}
