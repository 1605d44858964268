/** Pure feed logic: merging pages, buffering live posts behind an "N new posts" bar. */

/** Anything with a snowflake-style id (numeric string). */
export interface HasId {
  id: string;
}

/** Compares numeric string ids without losing precision on 64-bit values. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merges newer items into a list, newest first, without duplicates. */
export function mergeNewer<T extends HasId>(current: T[], incoming: T[]): T[] {
  const known = new Set(current.map((s) => s.id));
  const fresh = incoming.filter((s) => !known.has(s.id));
  if (fresh.length === 0) return current;
  return [...fresh, ...current].sort((a, b) => compareIds(b.id, a.id));
}

/** Appends an older page, skipping anything already shown. */
export function mergeOlder<T extends HasId>(current: T[], older: T[]): T[] {
  const known = new Set(current.map((s) => s.id));
  const fresh = older.filter((s) => !known.has(s.id));
  return fresh.length === 0 ? current : [...current, ...fresh];
}

/** Replaces an item in place (an edit), leaving the list alone if it is not there. */
export function replaceItem<T extends HasId>(current: T[], item: T): T[] {
  const index = current.findIndex((s) => s.id === item.id);
  if (index < 0) return current;
  const next = current.slice();
  next[index] = item;
  return next;
}

/** The shown items and the live ones waiting behind the "N new posts" bar. */
export interface FeedState<T extends HasId> {
  items: T[];
  pending: T[];
}

/**
 * A live item arrives. At the top of the feed it is shown at once; further down it
 * waits in `pending`, so what the reader is looking at does not move.
 */
export function receive<T extends HasId>(state: FeedState<T>, item: T, atTop: boolean): FeedState<T> {
  if (state.items.some((s) => s.id === item.id)) return { ...state, items: replaceItem(state.items, item) };
  if (atTop && state.pending.length === 0) return { ...state, items: mergeNewer(state.items, [item]) };
  if (state.pending.some((s) => s.id === item.id)) return { ...state, pending: replaceItem(state.pending, item) };
  return { ...state, pending: mergeNewer(state.pending, [item]) };
}

/** The reader asked to see the waiting items: they join the feed. */
export function showPending<T extends HasId>(state: FeedState<T>): FeedState<T> {
  if (state.pending.length === 0) return state;
  return { items: mergeNewer(state.items, state.pending), pending: [] };
}

/** An item was deleted: it leaves both lists. */
export function removeItem<T extends HasId>(state: FeedState<T>, id: string): FeedState<T> {
  return { items: state.items.filter((s) => s.id !== id), pending: state.pending.filter((s) => s.id !== id) };
}

/** The bar's text: "1 new post", "3 new posts". */
export function newPostsLabel(count: number): string {
  return count === 1 ? '1 new post' : `${count} new posts`;
}

/** The newest id of a list (for the read marker), or null. */
export function newestId(items: readonly HasId[]): string | null {
  let best: string | null = null;
  for (const item of items) if (best === null || compareIds(item.id, best) > 0) best = item.id;
  return best;
}

/** Posts per chunk, on average, when a long feed is cut into chunks. */
export const CHUNK_AVERAGE = 20;

/** FNV-1a over an id's characters: a cheap, stable hash. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A run of consecutive items and a key that stays the same while the run grows or shrinks. */
export interface Chunk<T extends HasId> {
  key: string;
  items: T[];
}

/**
 * Cuts a list into chunks of about `average` items. An item starts a chunk when its
 * id hashes to 0 modulo `average`, so where chunks begin depends only on the items
 * themselves: a page appended at the end or posts added on top change the first or
 * last chunk, never the ones in between, and each chunk keeps its key.
 */
export function chunks<T extends HasId>(items: readonly T[], average = CHUNK_AVERAGE): Chunk<T>[] {
  const out: Chunk<T>[] = [];
  let current: Chunk<T> | null = null;
  for (const item of items) {
    if (current === null || hashId(item.id) % average === 0) {
      current = { key: current === null ? 'first' : item.id, items: [] };
      out.push(current);
    }
    current.items.push(item);
  }
  return out;
}
