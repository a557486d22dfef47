// Tabs of a page's parts (数据排查: 命中审核, 排查规则, 数据导入): a tab list and the chosen tab's panel, as
// WAI-ARIA tabs (arrow keys, Home and End move between tabs; only the chosen one is in the Tab order).
// Ours rather than antd's Tabs, whose overflow menu, dropdown and motion would come with the page's
// first load. The page keeps which tab is chosen (in the URL, say); only the chosen panel is rendered.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import './page-tabs.css';

export interface PageTab {
  key: string;
  label: string;
  children: ReactNode;
}

export function PageTabs({ tabs, active, onChange, label }: { tabs: PageTab[]; active: string; onChange: (key: string) => void; label: string }) {
  const id = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const current = tabs.find((t) => t.key === active) ?? tabs[0]!;
  const move = (e: KeyboardEvent, i: number) => {
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const n = (to + tabs.length) % tabs.length;
    refs.current[n]?.focus();
    onChange(tabs[n]!.key);
  };
  return (
    <>
      <div className="page-tabs" role="tablist" aria-label={label}>
        {tabs.map((t, i) => {
          const on = t.key === current.key;
          return (
            <button
              key={t.key}
              ref={(el) => {
                refs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${t.key}`}
              aria-selected={on}
              aria-controls={`${id}-panel`}
              tabIndex={on ? 0 : -1}
              className={on ? 'page-tab active' : 'page-tab'}
              onClick={() => onChange(t.key)}
              onKeyDown={(e) => move(e, i)}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current.key}`} className="page-tab-panel">
        {current.children}
      </div>
    </>
  );
}
