// A campaign's status; one set by hand ahead of its dates says so (手动), with why on hover.
import { Tag } from 'antd';
import { system } from '../../i18n/index.js';
import type { CampaignView } from '../../../../shared/schemas/campaigns.js';
import { CAMPAIGN_STATUS_COLORS, CAMPAIGN_STATUS_LABELS, label } from './labels.js';

const T = system.campaigns;

export function CampaignStatusTag({ c }: { c: Pick<CampaignView, 'status' | 'manualStatus'> }) {
  const tag = <Tag color={CAMPAIGN_STATUS_COLORS[c.status]}>{label(CAMPAIGN_STATUS_LABELS, c.status)}</Tag>;
  if (!c.manualStatus) return tag;
  const why = T.manualHint(label(CAMPAIGN_STATUS_LABELS, c.manualStatus));
  return (
    <span title={why}>
      {tag}
      <span className="text-secondary">{T.manual}</span>
      <span className="sr-only">（{why}）</span>
    </span>
  );
}
