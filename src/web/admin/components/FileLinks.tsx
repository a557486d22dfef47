// A record's files as links with their size: each opens in a new tab, for whoever may read the record
// (the server checks). Nothing when there are none.
import { Flex } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { fileSize } from './format.js';

export function FileLinks({ files, label }: { files: readonly { id: string; name: string; size: number }[]; label: string }) {
  if (!files.length) return null;
  return (
    <Flex gap={12} wrap aria-label={label} role="group">
      {files.map((f) => (
        <a key={f.id} href={`/api/files/${f.id}`} target="_blank" rel="noopener noreferrer">
          <PaperClipOutlined aria-hidden /> {f.name}（{fileSize(f.size)}）
        </a>
      ))}
    </Flex>
  );
}
