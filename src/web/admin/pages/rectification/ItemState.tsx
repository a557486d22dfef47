// An item's state and progress as the ledger, its sub-items and the item's drawer show them.
import { Progress, Tag } from 'antd';
import { rectification as rt } from '../../i18n/index.js';
import type { ItemState } from '../../../../shared/schemas/rectification-labels.js';
import type { ItemRow } from './shared.js';

const STATE_COLOR: Record<ItemState, string> = {
  not_started: 'default',
  in_progress: 'blue',
  // Finished, waiting for the office's check: the one state that asks for someone's action.
  done: 'gold',
  signed_off: 'green',
  overdue: 'red',
};

export function StateTag({ item }: { item: Pick<ItemRow, 'state' | 'stateLabel'> }) {
  return <Tag color={STATE_COLOR[item.state] ?? 'default'}>{item.stateLabel}</Tag>;
}

/** The item's progress bar, named for screen readers; red while overdue. */
export function ItemProgress({ item }: { item: Pick<ItemRow, 'title' | 'progress' | 'state'> }) {
  return (
    <Progress
      percent={item.progress}
      size="small"
      status={item.state === 'overdue' ? 'exception' : undefined}
      format={(p) => rt.common.percent(p ?? 0)}
      aria-label={rt.list.progressOf(item.title)}
      style={{ minWidth: 96, marginBottom: 0 }}
    />
  );
}
