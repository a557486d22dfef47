import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDv7: sortable by creation, safe to generate on a client later. */
export function newId(): string {
  return uuidv7();
}
