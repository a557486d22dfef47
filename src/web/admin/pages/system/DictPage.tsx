// 数据字典: code lists (职务, 意见类别…). Item codes never change once saved because records store them;
// items of built-in types can only be disabled, not deleted.

import { lazy, useEffect, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Col, Empty, Row, Space, Tag } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate } from '../../components/useList.js';
import { useCan } from '../../auth/useMe.js';
import type { DictItemView as DictItem, DictTypeView as DictType } from '../../../../shared/schemas/dict.js';

const T = system.dict;
const DictForms = lazy(() => import('./DictForms.js'));

const itemUrl = (type: string, id?: string) =>
  `/api/dicts/${encodeURIComponent(type)}/items${id ? `/${encodeURIComponent(id)}` : ''}`;

export default function DictPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  // Maintainers see the codes records store; everyone else reads the names only.
  const canWrite = useCan()('dict:write');
  const invalidate = useInvalidate();
  const refresh = () => void invalidate('/api/dicts');

  const types = useQuery({ queryKey: ['/api/dicts'], queryFn: () => api.get<{ items: DictType[] }>('/api/dicts') });
  const [selected, setSelected] = useState<string | null>(null);
  const current = types.data?.items.find((t) => t.code === selected) ?? null;
  useEffect(() => {
    if (!selected && types.data?.items.length) setSelected(types.data.items[0]!.code);
  }, [selected, types.data]);

  const items = useQuery({
    queryKey: ['/api/dicts', selected, 'items'],
    queryFn: () => api.get<{ items: DictItem[] }>(`/api/dicts/${encodeURIComponent(selected!)}/items?includeDisabled=1`),
    enabled: !!selected,
  });

  const [typeEditing, setTypeEditing] = useState<DictType | 'new' | null>(null);
  const [itemEditing, setItemEditing] = useState<DictItem | 'new' | null>(null);

  const itemPath = (id?: string) => itemUrl(selected ?? '', id);

  const toggle = useMutation({
    mutationFn: (v: { item: DictItem; enabled: boolean }) => api.patch(itemPath(v.item.id), { enabled: v.enabled }),
    onSuccess: (_r, v) => {
      message.success(v.enabled ? `${T.enable}成功` : `${T.disable}成功`);
      refresh();
    },
    onError: (e) => showError(e),
  });

  const removeItem = useMutation({
    mutationFn: (item: DictItem) => api.del(itemPath(item.id)),
    onSuccess: () => {
      message.success(T.deleted);
      refresh();
    },
    onError: (e) => showError(e),
  });

  const openType = setTypeEditing;
  const openItem = setItemEditing;
  const nextSort = Math.max(0, ...(items.data?.items ?? []).map((x) => x.sort)) + 10;

  const itemColumns: Columns<DictItem> = [];
  if (canWrite)
    itemColumns.push({
      title: T.code,
      dataIndex: 'code',
      width: 240,
      ellipsis: true,
      // Codes may be long MIME types: one line, the full code on hover.
      render: (v: string) => (
        <code title={v}>{v}</code>
      ),
    });
  itemColumns.push(
    { title: T.itemLabel, dataIndex: 'label' },
    { title: T.sort, dataIndex: 'sort', width: 80, align: 'right' },
    {
      title: T.enabled,
      dataIndex: 'enabled',
      width: 80,
      render: (v: boolean | number) => (v ? <Tag color="green">{T.on}</Tag> : <Tag>{T.off}</Tag>),
    },
  );
  if (canWrite)
    itemColumns.push({
      title: T.actions,
      key: 'actions',
      width: 160,
      render: (_: unknown, i) => (
        <Space size={0}>
          <button type="button" className="link-action" onClick={() => openItem(i)}>{T.edit}</button>
          {i.enabled ? (
            <ConfirmButton title={T.disableConfirm} onConfirm={() => toggle.mutateAsync({ item: i, enabled: false })}>
              {T.disable}
            </ConfirmButton>
          ) : (
            <button type="button" className="link-action" onClick={() => toggle.mutate({ item: i, enabled: true })}>{T.enable}</button>
          )}
          {current?.builtin ? (
            <button type="button" className="link-action danger" disabled title={T.builtinNoDelete}>{T.delete}</button>
          ) : (
            <ConfirmButton danger title={T.deleteConfirm} onConfirm={() => removeItem.mutateAsync(i)}>
              {T.delete}
            </ConfirmButton>
          )}
        </Space>
      ),
    });

  return (
    <>
      <PageHeader />
      <Row gutter={16}>
        <Col xs={24} md={9} xl={7}>
          <section className="panel" aria-labelledby="dict-types">
            <div className="panel-title">
              <h2 id="dict-types">{T.types}</h2>
              <Space>
                <Button size="small" icon={<ReloadOutlined />} aria-label={T.refresh} title={T.refresh} onClick={refresh} />
                {canWrite && (
                  <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => openType('new')}>
                    {T.createType}
                  </Button>
                )}
              </Space>
            </div>
            {/* The types as a list of buttons: a click or Enter shows the type's items on the right. */}
            <ul className="dict-types" aria-busy={types.isFetching || undefined}>
              {(types.data?.items ?? []).map((t) => (
                <li key={t.code} className={t.code === selected ? 'selected' : undefined}>
                  <button type="button" className="dict-type" aria-current={t.code === selected ? 'true' : undefined} onClick={() => setSelected(t.code)}>
                    <span className="dict-type-name">
                      {t.name}
                      {t.builtin && <Tag color="gold">{T.builtin}</Tag>}
                      {t.system && (
                        <Tag color="blue" title={T.systemHint}>
                          {T.system}
                        </Tag>
                      )}
                    </span>
                    {canWrite && <span className="dict-type-code">{t.code}</span>}
                    <span className="dict-type-count">{T.countOf(t.itemCount)}</span>
                  </button>
                  {canWrite && (
                    <Button type="text" size="small" icon={<EditOutlined />} aria-label={`${T.editType}：${t.name}`} title={T.editType} onClick={() => openType(t)} />
                  )}
                </li>
              ))}
            </ul>
          </section>
        </Col>
        <Col xs={24} md={15} xl={17}>
          <section className="panel" aria-labelledby="dict-items">
            <div className="panel-title">
              <h2 id="dict-items">{current ? T.items(current.name) : T.pick}</h2>
              {canWrite && current && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => openItem('new')}>{T.createItem}</Button>
              )}
            </div>
            {current ? (
              <>
                {current.description && (
                  <p className="text-secondary">{current.description}</p>
                )}
                <DataTable<DictItem>
                  caption={current.name}
                  columns={itemColumns}
                  dataSource={items.data?.items ?? []}
                  loading={items.isFetching}
                />
              </>
            ) : (
              <Empty description={T.pick} />
            )}
          </section>
        </Col>
      </Row>

      <OnDemand open={typeEditing !== null || itemEditing !== null}>
        <DictForms
          type={selected}
          typeEditing={typeEditing}
          itemEditing={itemEditing}
          nextSort={nextSort}
          onClose={() => {
            setTypeEditing(null);
            setItemEditing(null);
          }}
          onSaved={(newType) => {
            if (newType) setSelected(newType);
            setTypeEditing(null);
            setItemEditing(null);
            refresh();
          }}
        />
      </OnDemand>
    </>
  );
}
