// What the account and role pages show when the server filed a privileged change for approval
// (HTTP 202) instead of making it: nothing changed yet; the request waits on 特权审批.
import { Modal } from 'antd';
import { useNavigate } from 'react-router';
import { system } from '../../i18n/index.js';
import type { PendingApproval } from './pendingApproval.js';

const T = system.approvals;

export default function PendingApprovalModal({ pending, onClose }: { pending: PendingApproval | null; onClose: () => void }) {
  const navigate = useNavigate();
  return (
    <Modal
      open={pending !== null}
      title={T.submittedTitle}
      okText={T.viewApprovals}
      cancelText={T.close}
      onCancel={onClose}
      onOk={() => {
        onClose();
        navigate('/approvals');
      }}
      width={440}
    >
      <p>{pending?.message}</p>
    </Modal>
  );
}
