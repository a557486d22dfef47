// The phone's outbox: every service or visit saved in the village goes here first (IndexedDB, with its
// photos as blobs) and leaves only when the server has acknowledged it, so a closed tab, a dead battery
// or a week without signal loses nothing. The record's id is made here (crypto.randomUUID()), and so
// are the photos' ids: sending the same item again is the same request to the server, stored once.

export interface OutboxPhoto {
  id: string;
  name: string;
  blob: Blob;
  /** The server has this photo (PUT answered 2xx). */
  sent?: boolean;
}

export interface OutboxItem {
  id: string;
  body: Record<string, unknown> & { type: 'service' | 'visit'; heldOn: string; photoIds: string[] };
  photos: OutboxPhoto[];
  savedAt: string;
  /** The server refused it (a 4xx with a message): kept, shown, never dropped by itself. */
  error?: string;
}

const DB = 'village-field';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = run(t.objectStore(STORE));
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

export async function all(): Promise<OutboxItem[]> {
  const items = (await tx<OutboxItem[]>('readonly', (s) => s.getAll())) ?? [];
  return items.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

/** Written and committed before the caller goes on: saved means on the phone's disk. */
export async function put(item: OutboxItem): Promise<void> {
  await tx('readwrite', (s) => s.put(item));
}

export async function remove(id: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(id));
}
