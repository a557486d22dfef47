// Headline figures (GET /api/stats) as Statistic cards. The object is nested per module; any number
// found is shown, labelled from t.stats.labels or by its key. Rates (fractions) show as percentages.
import { Card, Col, Row, Statistic } from 'antd';
import { t } from '../i18n.js';

type Leaf = { key: string; label: string; value: number; rate: boolean; suffix?: string };

const labels = t.stats.labels;
const isRate = (key: string) => /(Rate|rate|coverage|Coverage)$/.test(key);

function labelOf(path: string): string {
  return labels[path] ?? path.split('.').pop()!;
}

function leaves(value: unknown, path: string, out: Leaf[]) {
  if (typeof value === 'number' && Number.isFinite(value)) {
    out.push({ key: path, label: labelOf(path), value, rate: isRate(path) });
    return;
  }
  if (Array.isArray(value)) {
    // Rounds and similar [{round, covered, total}] rows: "第 n 轮  covered / total".
    value.forEach((row, i) => {
      if (row && typeof row === 'object' && 'covered' in row && 'total' in row) {
        const r = row as { round?: number; covered: number; total: number };
        out.push({
          key: `${path}.${i}`,
          label: t.stats.round(labels[path] ?? path.split('.').pop()!, r.round ?? i + 1),
          value: Number(r.covered),
          rate: false,
          suffix: `/ ${r.total}`,
        });
      }
    });
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  }
}

export function StatCards({ stats }: { stats: Record<string, unknown> }) {
  const groups = Object.entries(stats)
    .map(([top, v]) => {
      const out: Leaf[] = [];
      leaves(v, top, out);
      return { top, title: labels[top] ?? top, items: out };
    })
    .filter((g) => g.items.length);
  return (
    <Row gutter={[16, 16]}>
      {groups.flatMap((g) =>
        g.items.map((leaf) => (
          <Col key={leaf.key} xs={12} sm={8} lg={6}>
            <Card size="small">
              <Statistic
                title={labels[leaf.key] || leaf.suffix ? leaf.label : `${g.title} · ${leaf.label}`}
                value={leaf.rate ? leaf.value * 100 : leaf.value}
                precision={leaf.rate ? 1 : Number.isInteger(leaf.value) ? 0 : 1}
                suffix={leaf.rate ? '%' : leaf.suffix}
              />
            </Card>
          </Col>
        )),
      )}
    </Row>
  );
}
