// The menu icons the route table names (routes.ts keeps to plain data).
import type { ReactNode } from 'react';
import {
  ApartmentOutlined, ApiOutlined, AuditOutlined, BarChartOutlined, BellOutlined, BookOutlined, ClusterOutlined, DesktopOutlined,
  EditOutlined, FileDoneOutlined, FileSearchOutlined, FlagOutlined, FormOutlined, HomeOutlined, LoginOutlined, MessageOutlined,
  SafetyCertificateOutlined, SafetyOutlined, SettingOutlined, TagsOutlined, TeamOutlined, UserOutlined, UsergroupAddOutlined,
} from '@ant-design/icons';
import type { IconName } from '../routes.js';

export const ICONS: Record<IconName, ReactNode> = {
  home: <HomeOutlined />,
  apartment: <ApartmentOutlined />,
  flag: <FlagOutlined />,
  team: <TeamOutlined />,
  message: <MessageOutlined />,
  edit: <EditOutlined />,
  barChart: <BarChartOutlined />,
  form: <FormOutlined />,
  api: <ApiOutlined />,
  setting: <SettingOutlined />,
  user: <UserOutlined />,
  usergroup: <UsergroupAddOutlined />,
  desktop: <DesktopOutlined />,
  safety: <SafetyOutlined />,
  book: <BookOutlined />,
  cluster: <ClusterOutlined />,
  safetyCertificate: <SafetyCertificateOutlined />,
  audit: <AuditOutlined />,
  login: <LoginOutlined />,
  bell: <BellOutlined />,
  fileSearch: <FileSearchOutlined />,
  fileDone: <FileDoneOutlined />,
  tags: <TagsOutlined />,
};
