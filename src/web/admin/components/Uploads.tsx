// Files attached to a form: each one picked is uploaded at once (POST /api/files) and listed with its
// name, while uploading and after, with a button to drop it; the record links the uploaded ids when it
// is saved. A native file input (labelled by the form's field), so no upload library comes along.
//
//   const uploads = useUploads(10);
//   <input type="file" id="evidence" multiple onChange={(e) => uploads.add(e.target)} />
//   <UploadList uploads={uploads} label="佐证材料" />
//   … attachmentIds: uploads.ids  (refuse to save while uploads.uploading)
import { useCallback, useRef, useState } from 'react';
import { DeleteOutlined, PaperClipOutlined } from '@ant-design/icons';
import { api } from '../api.js';
import { common } from '../i18n/index.js';
import { useFeedback } from './feedback.js';

export interface Upload {
  key: number;
  name: string;
  status: 'uploading' | 'done';
  id?: string;
}

export function useUploads(max: number) {
  const { message } = useFeedback();
  const [files, setFiles] = useState<Upload[]>([]);
  const seq = useRef(0);
  // Stable, so a form may empty the list whenever it opens.
  const reset = useCallback(() => setFiles([]), []);

  /** Uploads what the input holds (up to `max` in all), then empties it so the same file can be picked again. */
  const add = (input: HTMLInputElement) => {
    const picked = [...(input.files ?? [])].slice(0, Math.max(0, max - files.length));
    for (const file of picked) {
      const key = ++seq.current;
      setFiles((cur) => [...cur, { key, name: file.name, status: 'uploading' }]);
      const fd = new FormData();
      fd.append('file', file, file.name);
      api
        .upload<{ id: string }>('/api/files', fd)
        .then((r) => setFiles((cur) => cur.map((f) => (f.key === key ? { ...f, status: 'done', id: r.id } : f))))
        .catch((err) => {
          message.error(err instanceof Error ? err.message : String(err));
          setFiles((cur) => cur.filter((f) => f.key !== key));
        });
    }
    input.value = '';
  };

  return {
    files,
    add,
    remove: (key: number) => setFiles((cur) => cur.filter((f) => f.key !== key)),
    reset,
    full: files.length >= max,
    uploading: files.some((f) => f.status === 'uploading'),
    /** The uploaded files' ids, for the record's attachmentIds. */
    ids: files.filter((f) => f.status === 'done' && f.id).map((f) => f.id!),
  };
}

export type Uploads = ReturnType<typeof useUploads>;

export function UploadList({ uploads, label }: { uploads: Uploads; label: string }) {
  if (!uploads.files.length) return null;
  return (
    <ul className="file-list" aria-label={label}>
      {uploads.files.map((f) => (
        <li key={f.key}>
          <PaperClipOutlined aria-hidden />
          <span className="file-name">{f.name}</span>
          <span className="text-secondary">{f.status === 'uploading' ? common.uploading : ''}</span>
          <button type="button" className="link-action danger" aria-label={`${common.delete}：${f.name}`} onClick={() => uploads.remove(f.key)}>
            <DeleteOutlined aria-hidden />
          </button>
        </li>
      ))}
    </ul>
  );
}
