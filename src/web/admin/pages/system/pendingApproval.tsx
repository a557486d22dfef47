// What the account and role pages show when the server filed a privileged change for approval
// (HTTP 202) instead of making it: nothing changed yet; the request waits on 特权审批.

import type { ReactElement } from 'react';
import { Modal } from 'antd';
import { useNavigate } from 'react-router';
import { t } from '../../i18n.js';
import type { PendingApproval } from '../../../../shared/schemas/approvals.js';

export { isPendingApproval } from '../../../../shared/schemas/approvals.js';

export function usePendingApprovalNotice(): [(p: PendingApproval) => void, ReactElement] {
  const [modal, holder] = Modal.useModal();
  const navigate = useNavigate();
  const show = (p: PendingApproval) => {
    modal.confirm({
      title: t.approvals.submittedTitle,
      content: p.message,
      okText: t.approvals.viewApprovals,
      cancelText: t.approvals.close,
      onOk: () => navigate('/approvals'),
    });
  };
  return [show, holder];
}
