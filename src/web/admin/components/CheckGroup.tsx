// Checkboxes of one Form.Item as a named group (八谈, 干预方式, a rule's 亲属关系…). Form.Item marks its
// control aria-required, which a group may not carry (axe: aria-allowed-attr): it is dropped here; each
// checkbox speaks for itself and an error is still described.
import { Checkbox, type GetProps } from 'antd';

export type CheckGroupProps = GetProps<typeof Checkbox.Group> & { label: string; 'aria-required'?: unknown };

export function CheckGroup({ label, 'aria-required': _required, ...rest }: CheckGroupProps) {
  return <Checkbox.Group {...rest} role="group" aria-label={label} />;
}
