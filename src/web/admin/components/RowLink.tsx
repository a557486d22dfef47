// A record's name in a list row, as the button that opens it. The row opens it too: the click stops
// here so the row's own handler does not run a second time.
import type { ReactNode } from 'react';

export function RowLink({ onOpen, label, children }: { onOpen: () => void; label?: string; children: ReactNode }) {
  return (
    <button
      type="button"
      className="link-button"
      aria-label={label}
      onClick={(e) => {
        e.stopPropagation();
        onOpen();
      }}
    >
      {children}
    </button>
  );
}
