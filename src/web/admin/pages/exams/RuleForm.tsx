// 年度考评's formula for a year (study:assess): the hours and participation targets, the three weights
// (summing to 100), the lowest score for 评先评优 and whether every topic must be passed.
import { Col, Form, InputNumber, Row, Switch } from 'antd';
import { api } from '../../api.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { exams as xt } from '../../i18n/index.js';
import { ASSESSMENT_KEY, type AssessmentRule } from './shared.js';

const r = xt.ruleForm;

export default function RuleDrawer({ open, year, rule, onClose, onSaved }: {
  open: boolean;
  year: number;
  rule: AssessmentRule;
  onClose: () => void;
  onSaved: () => void;
}) {
  return (
    <FormDrawer<AssessmentRule>
      name="assessment-rule"
      open={open}
      title={r.title(year)}
      width={Math.min(600, window.innerWidth)}
      onClose={onClose}
      savedMessage={r.saved}
      initialValues={rule}
      onSubmit={(v) => api.put(`${ASSESSMENT_KEY}/rules/${year}`, v)}
      onSaved={onSaved}
    >
      <p className="text-secondary" style={{ marginTop: 0 }}>
        {r.help}
      </p>
      <Row gutter={12}>
        <Col xs={12}>
          <Form.Item name="hoursTarget" label={r.hoursTarget} rules={[{ required: true, message: r.required }]}>
            <InputNumber min={1} max={1000} step={1} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12}>
          <Form.Item name="participationTarget" label={r.participationTarget} rules={[{ required: true, message: r.required }]}>
            <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={8}>
          <Form.Item name="hoursWeight" label={r.hoursWeight} rules={[{ required: true, message: r.required }]}>
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={8}>
          <Form.Item name="examsWeight" label={r.examsWeight} rules={[{ required: true, message: r.required }]}>
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={8}>
          <Form.Item
            name="participationWeight"
            label={r.participationWeight}
            dependencies={['hoursWeight', 'examsWeight']}
            rules={[
              { required: true, message: r.required },
              ({ getFieldValue }) => ({
                validator: async (_, v?: number) => {
                  const total = (Number(getFieldValue('hoursWeight')) || 0) + (Number(getFieldValue('examsWeight')) || 0) + (Number(v) || 0);
                  if (total !== 100) throw new Error(r.weightsSum(total));
                },
              }),
            ]}
          >
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={12}>
          <Form.Item name="awardMinScore" label={r.awardMinScore} rules={[{ required: true, message: r.required }]}>
            <InputNumber min={0} max={100} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12}>
          <Form.Item name="requireTopicsPassed" label={r.requireTopicsPassed} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Row>
    </FormDrawer>
  );
}
