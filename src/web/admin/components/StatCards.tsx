// Headline figures (GET /api/stats) as Statistic cards, each named by the statistics registry
// (useStatLabels). The object is nested per module; every number found is shown. Rates (fractions)
// show as percentages.
import { Col, Row } from 'antd';
import { home } from '../i18n/index.js';
import { useStatLabels } from './useStatLabels.js';

type Leaf = { key: string; label: string; value: number; rate: boolean; suffix?: string };

const isRate = (key: string) => /(Rate|rate|coverage|Coverage)$/.test(key);

function leaves(value: unknown, path: string, out: Leaf[], labelOf: (path: string) => string) {
  if (typeof value === 'number' && Number.isFinite(value)) {
    out.push({ key: path, label: labelOf(path), value, rate: isRate(path) });
    return;
  }
  if (Array.isArray(value)) {
    // Rounds and similar [{round, covered, total}] rows: "第 n 轮  covered / total".
    value.forEach((row, i) => {
      if (row && typeof row === 'object' && 'covered' in row && 'total' in row) {
        const r = row as { round?: number; covered: number; total: number };
        out.push({ key: `${path}.${i}`, label: home.round(labelOf(path), r.round ?? i + 1), value: Number(r.covered), rate: false, suffix: `/ ${r.total}` });
      }
    });
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out, labelOf);
  }
}

/** One figure: its name over its value (a definition list would read the same; this keeps the look). */
export function Figure({ title, value, suffix, help, onClick }: { title: string; value: string | number; suffix?: string; help?: string; onClick?: () => void }) {
  const body = (
    <>
      <span className="figure-title">
        {title}
        {help ? (
          <span className="figure-help" title={help}>
            {' '}
            ⓘ<span className="sr-only">{help}</span>
          </span>
        ) : null}
      </span>
      <span className="figure-value">
        {value}
        {suffix ? <span className="figure-suffix"> {suffix}</span> : null}
      </span>
    </>
  );
  return onClick ? (
    <button type="button" className="figure clickable" onClick={onClick}>
      {body}
    </button>
  ) : (
    <div className="figure">{body}</div>
  );
}

export function StatCards({ stats }: { stats: Record<string, unknown> }) {
  const { labels, ready } = useStatLabels();
  // A breakdown's entries (the categories under 按类别) are named by the breakdown: "按类别 · 治安管理".
  const labelOf = (path: string) => {
    if (labels[path]) return labels[path]!;
    const parent = path.slice(0, path.lastIndexOf('.'));
    const own = path.split('.').pop()!;
    return labels[parent] ? `${labels[parent]} · ${own}` : own;
  };
  // No card before its name: a developer key never shows, even for a moment.
  if (!ready) return null;
  const cards: Leaf[] = [];
  for (const [top, v] of Object.entries(stats)) leaves(v, top, cards, labelOf);
  return (
    <Row gutter={[16, 16]}>
      {cards.map((leaf) => (
        <Col key={leaf.key} xs={12} sm={8} lg={6}>
          <Figure
            title={leaf.label}
            value={(leaf.rate ? leaf.value * 100 : leaf.value).toFixed(leaf.rate ? 1 : Number.isInteger(leaf.value) ? 0 : 1)}
            suffix={leaf.rate ? '%' : leaf.suffix}
          />
        </Col>
      ))}
    </Row>
  );
}
