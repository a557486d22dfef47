// Open311 密钥's dialogs, loaded when first opened: naming a new key, and the key itself, shown once
// with the endpoint and an example call.
import { Form, Input, Typography } from 'antd';
import { api } from '../../api.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { ShownField, ShownOnceModal } from '../../components/ShownOnce.js';
import { opinions as ot } from '../../i18n/index.js';

const k = ot.open311;
const KEYS = '/api/open311/keys';

export default function Open311KeyDialogs({ creating, secret, onCloseCreate, onCreated, onCloseSecret }: {
  creating: boolean;
  secret: { name: string; apiKey: string } | null;
  onCloseCreate: () => void;
  onCreated: (created: { name: string; apiKey: string }) => void;
  onCloseSecret: () => void;
}) {
  const base = `${window.location.origin}/open311/v2/`;
  const usage = k.usageText.replaceAll('{base}', base);
  const curl = secret
    ? `curl -X POST ${base}requests.json \\\n  -d api_key=${secret.apiKey} \\\n  -d service_code=public_legal_service \\\n  --data-urlencode "description=${k.sampleDescription}"`
    : '';

  return (
    <>
      <FormDrawer<{ name: string }, { apiKey: string }>
        as="modal"
        open={creating}
        title={k.add}
        onClose={onCloseCreate}
        // The key itself is the answer: shown once in the next dialog.
        savedMessage={null}
        onSubmit={(v) => api.post<{ id: string; apiKey: string }>(KEYS, { name: v.name.trim() })}
        onSaved={(r, v) => onCreated({ name: v.name.trim(), apiKey: r.apiKey })}
      >
        <Form.Item name="name" label={k.name} rules={[{ required: true, whitespace: true, message: k.nameRequired }, { max: 100 }]}>
          <Input autoFocus maxLength={100} />
        </Form.Item>
      </FormDrawer>
      <ShownOnceModal open={secret !== null} title={k.createdTitle} note={k.once} okText={ot.common.gotIt} width={640} onClose={onCloseSecret}>
        {secret && (
          <>
            <ShownField label={k.name}>
              <Typography.Text strong>{secret.name}</Typography.Text>
            </ShownField>
            <ShownField label={k.apiKey}>
              <Typography.Text code copyable={{ text: secret.apiKey, tooltips: [ot.common.copy, ot.common.copied] }} data-testid="api-key" style={{ wordBreak: 'break-all' }}>
                {secret.apiKey}
              </Typography.Text>
            </ShownField>
            <ShownField label={k.endpoint}>
              <Typography.Text code copyable={{ text: base, tooltips: [ot.common.copy, ot.common.copied] }}>
                {base}
              </Typography.Text>
            </ShownField>
            <ShownField label={k.usage}>
              <Typography.Paragraph style={{ marginBottom: 8 }}>{usage}</Typography.Paragraph>
              <Typography.Paragraph copyable={{ text: curl, tooltips: [ot.common.copy, ot.common.copied] }} style={{ marginBottom: 0 }}>
                <pre style={{ fontSize: 12, margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{curl}</pre>
              </Typography.Paragraph>
            </ShownField>
          </>
        )}
      </ShownOnceModal>
    </>
  );
}
