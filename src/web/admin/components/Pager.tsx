// Paging under a list: the total ("共 123 条", "共 10,000+ 条" when capped), previous / next, a few page
// numbers and the page size. Plain buttons and a native select: light, and every control labelled.
import type { ReactNode } from 'react';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { common } from '../i18n/index.js';

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  totalText: ReactNode;
  onChange: (page: number, pageSize: number) => void;
  sizes?: number[];
}

/** 1 … 4 5 [6] 7 8 … 20 */
function pageList(page: number, last: number): (number | 'gap')[] {
  const out: (number | 'gap')[] = [];
  const from = Math.max(2, page - 2);
  const to = Math.min(last - 1, page + 2);
  out.push(1);
  if (from > 2) out.push('gap');
  for (let i = from; i <= to; i++) out.push(i);
  if (to < last - 1) out.push('gap');
  if (last > 1) out.push(last);
  return out;
}

export function Pager({ page, pageSize, total, totalText, onChange, sizes = [10, 20, 50, 100] }: PagerProps) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={common.pager}>
      <span className="pager-total">{totalText}</span>
      <button type="button" className="pager-button" disabled={page <= 1} onClick={() => onChange(page - 1, pageSize)} aria-label={common.prevPage}>
        <LeftOutlined aria-hidden />
      </button>
      {pageList(page, last).map((n, i) =>
        n === 'gap' ? (
          <span key={`gap-${i}`} className="pager-gap" aria-hidden="true">
            …
          </span>
        ) : (
          <button
            key={n}
            type="button"
            className={n === page ? 'pager-button current' : 'pager-button'}
            aria-current={n === page ? 'page' : undefined}
            aria-label={common.pageN(n)}
            onClick={() => onChange(n, pageSize)}
          >
            {n}
          </button>
        ),
      )}
      <button type="button" className="pager-button" disabled={page >= last} onClick={() => onChange(page + 1, pageSize)} aria-label={common.nextPage}>
        <RightOutlined aria-hidden />
      </button>
      <select className="pager-size" aria-label={common.pageSize} value={pageSize} onChange={(e) => onChange(1, Number(e.target.value))}>
        {sizes.map((s) => (
          <option key={s} value={s}>
            {common.perPage(s)}
          </option>
        ))}
      </select>
    </nav>
  );
}
