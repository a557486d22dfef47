// Lists the server answers for its default campaign when none is chosen ({items, …, campaignId}): which
// campaign the page shows, and which one is the default — remembered once seen, so the campaign filter
// still names its empty choice while another campaign is chosen.
//
//   const { campaignId, defaultId } = useShownCampaign(filters.campaignId, list.query.isPlaceholderData ? undefined : list.data?.campaignId);
import { useEffect, useState } from 'react';

/** `answered`: the campaignId of the server's latest real answer (undefined while none has come). */
export function useShownCampaign(chosen: string | undefined, answered: string | null | undefined) {
  const [defaultId, setDefaultId] = useState<string | null>();
  useEffect(() => {
    if (!chosen && answered !== undefined) setDefaultId(answered);
  }, [chosen, answered]);
  return { defaultId, campaignId: chosen ?? answered ?? defaultId ?? null };
}
