import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import type { Page, PageCursor, Status } from '../api/types';
import { useApp } from '../context';
import { StatusItem } from './StatusItem';

/** Props of a timeline: how to load a page, and which live posts belong in it. */
export interface TimelineProps {
  label: string;
  load: (cursor: PageCursor | null) => Promise<Page<Status>>;
  /** Whether a new post (streamed or just written) belongs here; omit for no live updates. */
  accepts?: (status: Status) => boolean;
  empty: string;
}

/** Merges newer posts into a list, newest first, without duplicates. */
export function mergeNewer(current: Status[], incoming: Status[]): Status[] {
  const known = new Set(current.map((s) => s.id));
  const fresh = incoming.filter((s) => !known.has(s.id));
  if (fresh.length === 0) return current;
  return [...fresh, ...current].sort((a, b) => compareIds(b.id, a.id));
}

/** Compares numeric string ids without losing precision on 64-bit values. */
function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A list of posts with "load more" at the bottom and, optionally, live updates on top. */
export function Timeline({ label, load, accepts, empty }: TimelineProps) {
  const { subscribe, sessionEnded } = useApp();
  const [items, setItems] = useState<Status[]>([]);
  const [next, setNext] = useState<PageCursor | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const acceptsRef = useRef(accepts);
  acceptsRef.current = accepts;

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(e instanceof ApiError ? e.message : 'Could not load posts.');
    },
    [sessionEnded],
  );

  const refresh = useCallback(async () => {
    try {
      const page = await loadRef.current(null);
      setItems((current) => (current.length === 0 ? page.items : mergeNewer(current, page.items)));
      setNext((n) => n ?? page.next);
      setError(null);
    } catch (e) {
      fail(e);
    }
  }, [fail]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setItems([]);
    setNext(null);
    loadRef
      .current(null)
      .then((page) => {
        if (cancelled) return;
        setItems((current) => mergeNewer(page.items, current));
        setNext(page.next);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!cancelled) fail(e);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [load, fail]);

  useEffect(
    () =>
      subscribe((event) => {
        if (event.kind === 'delete') {
          setItems((current) => current.filter((s) => s.id !== event.id));
        } else if (event.kind === 'update') {
          const accept = acceptsRef.current;
          if (accept?.(event.status)) setItems((current) => mergeNewer(current, [event.status]));
        } else if (event.kind === 'resync' && acceptsRef.current) {
          void refresh();
        }
      }),
    [subscribe, refresh],
  );

  const loadMore = async () => {
    if (!next) return;
    setLoading(true);
    try {
      const page = await loadRef.current(next);
      setItems((current) => {
        const known = new Set(current.map((s) => s.id));
        return [...current, ...page.items.filter((s) => !known.has(s.id))];
      });
      setNext(page.next);
      setError(null);
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <section class="timeline" aria-label={label} aria-busy={loading}>
      {error ? (
        <p class="notice error" role="alert">
          {error}{' '}
          <button type="button" class="link-button" onClick={() => void refresh()}>
            Try again
          </button>
        </p>
      ) : null}
      {items.length === 0 && !loading && !error ? <p class="notice">{empty}</p> : null}
      <div class="feed">
        {items.map((status) => (
          <StatusItem key={status.id} status={status} />
        ))}
      </div>
      {loading ? (
        <p class="notice" role="status">
          Loading…
        </p>
      ) : next ? (
        <button type="button" class="load-more" onClick={() => void loadMore()}>
          Load more
        </button>
      ) : items.length > 0 ? (
        <p class="notice end">You’re all caught up.</p>
      ) : null}
    </section>
  );
}
