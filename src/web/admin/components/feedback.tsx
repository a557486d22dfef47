// Toasts ("已保存", a refusal's message) for every page, announced to screen readers (a live region;
// errors as alerts). Our own few lines rather than antd's message and notification machinery, which
// every page's first load would carry.
//
//   const { message } = useFeedback();
//   message.success('已保存');
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, InfoCircleFilled } from '@ant-design/icons';
import './feedback.css';

type Kind = 'success' | 'error' | 'warning' | 'info';
interface Toast {
  id: number;
  kind: Kind;
  text: ReactNode;
}
/** A text, or a text with how many seconds it stays. */
type ToastInput = ReactNode | { content: ReactNode; duration?: number };
export type Toaster = Record<Kind, (text: ToastInput) => void>;

const isOptions = (v: ToastInput): v is { content: ReactNode; duration?: number } =>
  typeof v === 'object' && v !== null && 'content' in (v as object);

const FeedbackContext = createContext<{ message: Toaster } | null>(null);
const ICONS: Record<Kind, ReactNode> = {
  success: <CheckCircleFilled />,
  error: <CloseCircleFilled />,
  warning: <ExclamationCircleFilled />,
  info: <InfoCircleFilled />,
};

export function FeedbackProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seq = useRef(0);
  const show = useCallback((kind: Kind, input: ToastInput) => {
    const id = ++seq.current;
    const text = isOptions(input) ? input.content : input;
    // Errors stay longer: they usually say what to do.
    const seconds = (isOptions(input) ? input.duration : undefined) ?? (kind === 'error' ? 6 : 3);
    setToasts((list) => [...list.slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), seconds * 1000);
  }, []);
  const value = useMemo(
    () => ({
      message: {
        success: (t: ToastInput) => show('success', t),
        error: (t: ToastInput) => show('error', t),
        warning: (t: ToastInput) => show('warning', t),
        info: (t: ToastInput) => show('info', t),
      },
    }),
    [show],
  );
  return (
    <FeedbackContext.Provider value={value}>
      {children}
      {/* Two live regions: polite for news, assertive for failures. Always present, so the first toast is read too. */}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.filter((t) => t.kind !== 'error').map((t) => (
          <div key={t.id} className={`toast ${t.kind}`}>
            <span className="toast-icon" aria-hidden="true">{ICONS[t.kind]}</span>
            {t.text}
          </div>
        ))}
      </div>
      <div className="toasts errors" role="alert" aria-live="assertive">
        {toasts.filter((t) => t.kind === 'error').map((t) => (
          <div key={t.id} className="toast error">
            <span className="toast-icon" aria-hidden="true">{ICONS.error}</span>
            {t.text}
          </div>
        ))}
      </div>
    </FeedbackContext.Provider>
  );
}

export function useFeedback() {
  const v = useContext(FeedbackContext);
  if (!v) throw new Error('useFeedback outside FeedbackProvider (layout/AntdRoot)');
  return v;
}
