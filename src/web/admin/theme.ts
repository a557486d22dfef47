// The staff app's antd theme. antd's default greys and status colours are too light to read (WCAG
// 2.1 AA wants 4.5:1 for text): secondary text 3.4:1, placeholders 1.8:1, error red 3.3:1, link blue
// 4.1:1, the green/orange/gold/cyan tag texts about 3.3:1. Set here, once, every page inherits
// readable text on white and on the layout's grey (#f5f6f8); the figures in the comments are the
// contrast on white / on #f5f6f8.
import type { ThemeConfig } from 'antd';

export const BRAND = '#1d4e89'; // 8.4 / 7.8

export const theme: ThemeConfig = {
  token: {
    colorPrimary: BRAND,
    colorInfo: BRAND,
    colorLink: BRAND,
    colorSuccess: '#237804', // 5.6 / 5.2
    colorWarning: '#876800', // 5.2 / 4.8
    colorError: '#c41d1d', // 5.9 / 5.5
    colorTextSecondary: '#595959', // 7.0 / 6.5
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    colorTextQuaternary: '#666666', // 5.7 / 5.3
    colorTextPlaceholder: '#666666',
    // Disabled controls are exempt from the contrast rule and should look disabled.
    colorTextDisabled: 'rgba(0, 0, 0, 0.38)',
    // The status colours are darker than antd's, so their light backgrounds are given, not derived
    // (antd would derive a dull grey from a dark seed).
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorErrorBg: '#fff2f0',
    colorErrorBorder: '#ffccc7',
    colorInfoBg: '#eef3fa',
    colorInfoBorder: '#b9cde6',
    colorBgLayout: '#f5f6f8',
    borderRadius: 4,
  },
  components: {
    // Tag texts of the preset colours (their "-7" shade) on their light backgrounds: green, orange,
    // gold, cyan… are about 3:1 in antd; these are 4.8:1 and more.
    Tag: {
      green7: '#237804',
      orange7: '#ad4e00',
      gold7: '#876800',
      yellow7: '#876800',
      cyan7: '#006d75',
      volcano7: '#ad2102',
      lime7: '#3f6600',
    } as Record<string, string>,
  },
};
