// What a page shows instead of its content: refused (403), not found (404), failed to load. Light
// markup rather than antd's Result, whose illustrations would come with every page of the frame.
import type { ReactNode } from 'react';

export function Outcome({ code, text, action, testId }: { code: string; text: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="outcome" data-testid={testId}>
      <p className="outcome-code">{code}</p>
      <p className="outcome-text">{text}</p>
      {action}
    </div>
  );
}
