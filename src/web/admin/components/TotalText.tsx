// "共 123 条", or for a capped count "共 10,000+ 条" and why, in small print beside it.
import { common } from '../i18n/index.js';

export function TotalText({ total, capped }: { total: number; capped?: boolean }) {
  if (!capped) return <span>{common.totalOf(total)}</span>;
  return (
    <span data-testid="total-capped">
      {common.totalOf(total, true)}
      <span className="total-capped-hint">{common.totalCappedHint(total)}</span>
    </span>
  );
}
