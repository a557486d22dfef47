// A person's details; "查看明文" (people:sensitive) asks the server for the plain phone and ID number,
// which the server records in the audit log.
import { useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Skeleton, Tag, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { GENDERS, PERSON_STATUS } from '../../../../shared/schemas/people.js';
import { useCan } from '../../auth/useMe.js';
import { common, people } from '../../i18n/index.js';
import { formatTime } from '../../components/format.js';
import { useApiError } from '../../components/useApiError.js';
import { useDicts } from '../../components/useDicts.js';
import { PEOPLE_KEY, type PersonDetail } from './types.js';
import { StatusTag } from './StatusTag.js';

const s = people;
export default function PersonDetailDrawer({ personId, onClose }: { personId: string | null; onClose: () => void }) {
  const can = useCan();
  const showError = useApiError();
  const { label } = useDicts();
  const [plain, setPlain] = useState<PersonDetail | null>(null);
  const [revealing, setRevealing] = useState(false);
  const { data, isLoading, error } = useQuery({
    queryKey: [PEOPLE_KEY, 'detail', personId],
    queryFn: () => api.get<PersonDetail>(`/api/people/${personId}`),
    enabled: Boolean(personId),
  });

  // Plain values are never cached: closing the drawer forgets them.
  useEffect(() => setPlain(null), [personId]);

  const reveal = async () => {
    setRevealing(true);
    try {
      setPlain(await api.get<PersonDetail>(`/api/people/${personId}?reveal=1`));
    } catch (err) {
      showError(err);
    } finally {
      setRevealing(false);
    }
  };

  const p = plain ?? data;
  return (
    <Drawer open={Boolean(personId)} title={p ? `${s.detailTitle}：${p.name}` : s.detailTitle} size={560} onClose={onClose} destroyOnHidden>
      {isLoading ? (
        <Skeleton active />
      ) : error ? (
        <Alert type="error" showIcon title={(error as Error).message} />
      ) : p ? (
        <>
          {plain ? <Alert type="warning" showIcon title={s.revealed} style={{ marginBottom: 12 }} /> : null}
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'name', label: s.name, children: p.name },
              { key: 'gender', label: s.gender, children: p.gender ? GENDERS[p.gender] : common.none },
              // 出生年月 for everyone; the full date only with the plain values (it is part of the ID number).
              { key: 'birth', label: plain ? s.birthDate : s.birthMonth, children: p.birthDate || common.none },
              { key: 'unit', label: s.orgUnit, children: p.orgUnitName },
              { key: 'post', label: s.post, children: label('post', p.post) || common.none },
              { key: 'party', label: s.partyOrg, children: p.partyOrgName || common.none },
              { key: 'police', label: s.policeNo, children: p.policeNo || common.none },
              { key: 'phone', label: s.phone, children: p.phone || common.none },
              { key: 'id', label: s.idNumber, children: p.idNumber || common.none },
              { key: 'status', label: s.status, children: <StatusTag status={p.status} /> },
              { key: 'account', label: s.account, children: p.account ? p.account.username : s.noAccount },
              { key: 'updated', label: s.updatedAt, children: formatTime(p.updatedAt) },
            ]}
          />
          {can('people:sensitive') && !plain ? (
            <div style={{ marginTop: 12 }}>
              <Button icon={<EyeOutlined />} onClick={() => void reveal()} loading={revealing}>
                {s.reveal}
              </Button>{' '}
              <Typography.Text type="secondary">{s.revealNote}</Typography.Text>
            </div>
          ) : null}
        </>
      ) : null}
    </Drawer>
  );
}
