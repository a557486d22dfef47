// antd for the pages that use it: Chinese, the readable theme (theme.ts), and the toasts (feedback.tsx).
// Not part of the entry: the login page is plain React and CSS, so it loads none of antd.
import type { ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import type { Locale } from 'antd/es/locale/index.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { theme } from '../theme.js';
import { FeedbackProvider } from '../components/feedback.js';

// TypeScript (NodeNext) reads antd/es as CommonJS and sees the default export one level down;
// the bundler gives the ES module's default directly. Accept both.
const zhCN = ((zhCNModule as unknown as { default?: Locale }).default ?? zhCNModule) as Locale;

export function AntdRoot({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <FeedbackProvider>{children}</FeedbackProvider>
    </ConfigProvider>
  );
}
