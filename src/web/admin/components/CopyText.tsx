// A long code (an id, a key) on one line, cut with "…" (whole on hover), and a button that copies it.
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { common } from '../i18n/index.js';

export function CopyText({ text, maxWidth = 260, hideText }: { text: string; maxWidth?: number; /** Only the copy button (the text is shown otherwise). */ hideText?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="copy-text">
      {hideText ? null : (
        <code title={text} style={{ maxWidth }}>
          {text}
        </code>
      )}
      <button
        type="button"
        className="link-action"
        aria-label={`${copied ? common.copied : common.copy}：${text}`}
        title={copied ? common.copied : common.copy}
        onClick={(e) => {
          e.stopPropagation();
          void navigator.clipboard?.writeText(text).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          });
        }}
      >
        {copied ? <CheckOutlined aria-hidden /> : <CopyOutlined aria-hidden />}
      </button>
    </span>
  );
}
