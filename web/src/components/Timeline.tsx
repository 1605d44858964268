import { Component } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { StreamConnection, streamingUrl } from '../api/stream';
import type { Page, PageCursor, Status } from '../api/types';
import { useApp, type FeedEvent } from '../context';
import { chunks, mergeNewer, mergeOlder, newPostsLabel, newestId, receive, removeItem, showPending, type FeedState } from '../feed';
import { actionError, StatusItem } from './StatusItem';

/**
 * A post in a feed, rendered again only when its own status (or announce right)
 * changes: appending a page or a live post to a feed of thousands then costs the
 * new posts, not a pass over every post already shown. Context changes (the
 * signed-in account, say) still reach every post.
 */
class FeedItem extends Component<{ status: Status; canAnnounce: boolean }> {
  override shouldComponentUpdate(next: { status: Status; canAnnounce: boolean }): boolean {
    return next.status !== this.props.status || next.canAnnounce !== this.props.canAnnounce;
  }

  override render() {
    return <StatusItem status={this.props.status} canAnnounce={this.props.canAnnounce} />;
  }
}
/** A stream of its own for a feed the user stream does not carry (a community, a topic). */
export interface FeedStream {
  stream: string;
  params: Record<string, string>;
}

/** Props of a timeline: how to load a page, and which live posts belong in it. */
export interface TimelineProps {
  label: string;
  load: (cursor: PageCursor | null) => Promise<Page<Status>>;
  /** Whether a new post (streamed or just written) belongs here; omit for no live updates. */
  accepts?: (status: Status) => boolean;
  empty: string;
  /** Sync the read position of this feed with the server (`home`). */
  marker?: 'home';
  /** An extra stream to listen to while the feed is shown. */
  stream?: FeedStream;
  /** The viewer runs this feed's community: its posts may be announced. */
  canAnnounce?: boolean;
}

const AT_TOP_PX = 120;

function atTop(): boolean {
  return window.scrollY < AT_TOP_PX;
}

/**
 * A list of posts: older pages load as the reader nears the end (or with the button),
 * live posts appear on top, or behind an "N new posts" bar if the reader has scrolled down.
 */
export function Timeline({ label, load, accepts, empty, marker, stream, canAnnounce = false }: TimelineProps) {
  const { api, subscribe, sessionEnded, instance } = useApp();
  const [feed, setFeed] = useState<FeedState<Status>>({ items: [], pending: [] });
  const [next, setNext] = useState<PageCursor | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const acceptsRef = useRef(accepts);
  acceptsRef.current = accepts;
  const sentinel = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(actionError(e, 'Could not load posts.'));
    },
    [sessionEnded],
  );

  const refresh = useCallback(async () => {
    try {
      const page = await loadRef.current(null);
      setFeed((current) =>
        current.items.length === 0 ? { items: page.items, pending: [] } : page.items.reduce((s, item) => receive(s, item, atTop()), current),
      );
      setNext((n) => n ?? page.next);
      setError(null);
    } catch (e) {
      fail(e);
    }
  }, [fail]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setFeed({ items: [], pending: [] });
    setNext(null);
    loadRef
      .current(null)
      .then((page) => {
        if (cancelled) return;
        setFeed((current) => ({ items: mergeNewer(page.items, current.items), pending: current.pending }));
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

  const onEvent = useCallback(
    (event: FeedEvent) => {
      if (event.kind === 'delete') {
        setFeed((current) => removeItem(current, event.id));
      } else if (event.kind === 'update' || event.kind === 'status.update') {
        const status = event.status;
        setFeed((current) => {
          const shown = current.items.some((s) => s.id === status.id) || current.pending.some((s) => s.id === status.id);
          if (!shown && (event.kind === 'status.update' || !acceptsRef.current?.(status))) return current;
          return receive(current, status, atTop());
        });
      } else if (event.kind === 'resync' && acceptsRef.current) {
        void refresh();
      }
    },
    [refresh],
  );

  useEffect(() => subscribe(onEvent), [subscribe, onEvent]);

  const token = api.accessToken;
  const streamBase = instance?.configuration?.urls?.streaming;
  const streamKey = stream ? JSON.stringify(stream) : null;
  useEffect(() => {
    if (!streamKey || !token) return;
    const { stream: name, params } = JSON.parse(streamKey) as FeedStream;
    const connection = new StreamConnection({
      url: streamingUrl(streamBase, name, location.href, params),
      token,
      onEvent,
      onReconnected: () => {
        void refresh();
      },
    });
    connection.start();
    return () => {
      connection.stop();
    };
  }, [streamKey, token, streamBase, onEvent, refresh]);

  // The read position: the newest post shown, sent once it has settled.
  const newest = newestId(feed.items);
  useEffect(() => {
    if (!marker || !newest) return;
    const id = setTimeout(() => {
      api.setMarker(marker, newest).catch(() => {
        // Markers are a convenience: a server without them must not disturb reading.
      });
    }, 1500);
    return () => {
      clearTimeout(id);
    };
  }, [api, marker, newest]);

  const loadMore = useCallback(async () => {
    if (!next || busy.current) return;
    busy.current = true;
    setLoading(true);
    try {
      const page = await loadRef.current(next);
      setFeed((current) => ({ ...current, items: mergeOlder(current.items, page.items) }));
      setNext(page.next);
      setError(null);
    } catch (e) {
      fail(e);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, [next, fail]);

  // Infinite scroll: the next page loads when the end of the list comes into view.
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !next || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    }, { rootMargin: '600px' });
    observer.observe(node);
    return () => {
      observer.disconnect();
    };
  }, [next, loadMore]);

  const revealPending = () => {
    setFeed((current) => showPending(current));
    window.scrollTo({ top: 0 });
  };

  return (
    <section class="timeline" aria-label={label} aria-busy={loading}>
      {feed.pending.length > 0 ? (
        <button type="button" class="new-posts" onClick={revealPending}>
          {newPostsLabel(feed.pending.length)}
        </button>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}{' '}
          <button type="button" class="link-button" onClick={() => void refresh()}>
            Try again
          </button>
        </p>
      ) : null}
      {feed.items.length === 0 && !loading && !error ? <p class="notice">{empty}</p> : null}
      {/* Chunks of about twenty posts, each skipped by the browser while out of view (see .feed-chunk). */}
      <div class="feed">
        {chunks(feed.items).map((chunk) => (
          <div class="feed-chunk" key={chunk.key}>
            {chunk.items.map((status) => (
              <FeedItem key={status.id} status={status} canAnnounce={canAnnounce} />
            ))}
          </div>
        ))}
      </div>
      <div ref={sentinel} />
      {loading ? (
        <p class="notice" role="status">
          Loading…
        </p>
      ) : next ? (
        <button type="button" class="load-more" onClick={() => void loadMore()}>
          Load more
        </button>
      ) : feed.items.length > 0 ? (
        <p class="notice end">You’re all caught up.</p>
      ) : null}
    </section>
  );
}
