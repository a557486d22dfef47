import { z } from 'zod';

// Attachments: uploaded once (content-addressed), then tied to the record that owns them.

/** What a record type is called when it owns attachments: 'opinion', 'clue', 'rectification_item'… */
export const OWNER_TYPE_RE = /^[a-z][a-z0-9_]{0,39}$/;


/** POST /api/files answer. */
export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  mime: string;
  hash: string;
}

/** GET /api/files/:id/meta answer. */
export interface FileMeta extends UploadedFile {
  ownerType: string | null;
  ownerId: string | null;
  createdAt: string;
}
