// A button that asks first (删除, 停用, 强制下线…): a small dialog beside it with the question, 取消
// and 确定. Ours rather than antd's Popconfirm, whose overlay machinery would come with every list
// page's first load; Escape or a click elsewhere closes it, focus goes to 确定 and back afterwards.
import { useId, useState, type ReactNode } from 'react';
import { common } from '../i18n/index.js';
import { usePopup } from './usePopup.js';

export interface ConfirmButtonProps {
  /** The question. */
  title: ReactNode;
  description?: ReactNode;
  onConfirm: () => unknown;
  children: ReactNode;
  danger?: boolean;
  disabled?: boolean;
  okText?: string;
  /** Looks like a link (row actions) or a button (page actions). */
  variant?: 'link' | 'button';
  icon?: ReactNode;
}

export function ConfirmButton({ title, description, onConfirm, children, danger, disabled, okText, variant = 'link', icon }: ConfirmButtonProps) {
  const { open, setOpen, box, button } = usePopup();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const ok = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
    } catch {
      // The action shows its own failure (a toast); the question stays open for another try.
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="confirm" ref={box}>
      <button
        ref={button}
        type="button"
        className={`${variant === 'link' ? 'link-action' : 'plain-action'}${danger ? ' danger' : ''}`}
        disabled={disabled}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {icon}
        {children}
      </button>
      {open ? (
        <div className="confirm-panel" role="dialog" aria-labelledby={`${id}-q`} aria-describedby={description ? `${id}-d` : undefined}>
          <p id={`${id}-q`} className="confirm-title">
            {title}
          </p>
          {description ? (
            <p id={`${id}-d`} className="confirm-text">
              {description}
            </p>
          ) : null}
          <div className="confirm-buttons">
            <button type="button" className="plain-action small" onClick={() => setOpen(false)}>
              {common.cancel}
            </button>
            <button type="button" className={`plain-action small primary${danger ? ' danger' : ''}`} autoFocus disabled={busy} aria-busy={busy || undefined} onClick={() => void ok()}>
              {okText ?? common.confirm}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
