// A request a page or drawer needs failed: say so, with the server's message (and a retry).
import { Alert, Button } from 'antd';
import { common } from '../i18n/index.js';

export function LoadFailed({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert
      type="warning"
      showIcon
      title={common.loadFailed}
      description={error instanceof Error ? error.message : String(error)}
      action={onRetry ? <Button size="small" onClick={onRetry}>{common.retry}</Button> : undefined}
    />
  );
}
