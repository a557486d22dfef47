// Pieces the 查纠整改 pages share: API shapes, the campaign choice, the categories of a campaign. Light
// on purpose (both pages load it first): no components, no form library, no schema library.
import { useQuery } from '@tanstack/react-query';
import { api, qs, type Page } from '../../api.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { rectification as rt } from '../../i18n/index.js';
import type { CategoryKind, ItemList, ItemSource, ItemState, ItemStatus, RectifyMode } from '../../../../shared/schemas/rectification-labels.js';

export const ITEMS_KEY = '/api/rectification/items';
export const CATEGORIES_KEY = '/api/rectification/categories';

export interface ItemRow {
  id: string;
  campaignId: string;
  list: ItemList;
  listLabel: string;
  /** '12', or '12-3' for a sub-item. */
  number: string;
  seq: number;
  parentId: string | null;
  childCount: number;
  source: ItemSource;
  sourceLabel: string;
  sourceRef: string | null;
  categoryId: string | null;
  categoryName: string | null;
  categoryCode: string | null;
  title: string;
  description: string;
  measures: string | null;
  goal: string | null;
  orgUnitId: string;
  orgUnitName: string;
  responsiblePersonId: string | null;
  responsiblePersonName: string | null;
  mode: RectifyMode;
  modeLabel: string;
  startDate: string | null;
  deadline: string | null;
  isPublic: boolean;
  weight: number;
  progress: number;
  status: ItemStatus;
  state: ItemState;
  stateLabel: string;
  completedAt: string | null;
  signedOffAt: string | null;
  signOffNote: string | null;
  rating: { count: number; average: number } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProgressReport {
  id: string;
  percent: number;
  note: string;
  actorName: string | null;
  createdAt: string;
  attachments: { id: string; name: string; size: number; mime: string }[];
}

export interface ItemDetail extends ItemRow {
  children: ItemRow[];
  /** Newest first. */
  progressReports: ProgressReport[];
}

/** The items list also names the campaign it shows (the server's default when none was asked for). */
export type ItemPage = Page<ItemRow> & { campaignId: string | null };

export interface CategoryRow {
  id: string;
  campaignId: string;
  code: string;
  kind: CategoryKind;
  kindLabel: string;
  name: string;
  description: string | null;
  sort: number;
  enabled: boolean;
}

interface Campaign {
  id: string;
  name: string;
  batch: number;
}

/** Every campaign (one per batch: a handful), newest batch first. */
export function useCampaigns() {
  return useQuery({
    queryKey: ['/api/campaigns', { pageSize: 200 }],
    queryFn: () => api.get<Page<Campaign>>('/api/campaigns?pageSize=200'),
    select: (d) => d.items,
    staleTime: 5 * 60_000,
  });
}

/** The campaign the ledger opens on when none is chosen: the server's choice, as the items list answers it. */
export function useDefaultCampaign(enabled: boolean) {
  return useQuery({
    queryKey: [ITEMS_KEY, 'default-campaign'],
    queryFn: () => api.get<ItemPage>(`${ITEMS_KEY}${qs({ pageSize: 1 })}`).then((r) => r.campaignId),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** The campaign filter: its empty choice is the server's default campaign, named once known. */
export function campaignFilter(campaigns: readonly Campaign[], defaultId: string | null | undefined): FilterDef {
  return {
    kind: 'select',
    name: 'campaignId',
    label: rt.common.campaign,
    width: 210,
    emptyLabel: campaigns.find((c) => c.id === defaultId)?.name ?? rt.common.currentCampaign,
    options: campaigns.filter((c) => c.id !== defaultId).map((c) => ({ value: c.id, label: c.name })),
  };
}

/** A campaign's problem categories (the filter's and the item form's choices). */
export function useCategoriesOf(campaignId: string | null | undefined) {
  return useQuery({
    queryKey: [CATEGORIES_KEY, { campaignId }],
    queryFn: () => api.get<Page<CategoryRow>>(`${CATEGORIES_KEY}${qs({ campaignId })}`),
    select: (d) => d.items,
    enabled: Boolean(campaignId),
    staleTime: 60_000,
  });
}

export const categoryText = (c: Pick<CategoryRow, 'code' | 'name'>) => `${c.code} ${c.name}`;
