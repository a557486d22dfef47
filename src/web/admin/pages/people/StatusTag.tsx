// A person's status (在职 / 调离 / 退休) as a coloured tag.
import { Tag } from 'antd';
import { PERSON_STATUS } from '../../../../shared/schemas/people.js';

const STATUS_COLORS: Record<string, string> = { active: 'green', transferred: 'orange', retired: 'default' };

export function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLORS[status]}>{PERSON_STATUS[status as keyof typeof PERSON_STATUS] ?? status}</Tag>;
}
