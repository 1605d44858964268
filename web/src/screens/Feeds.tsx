import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import type { PageCursor, Status, Tag } from '../api/types';
import { Composer } from '../components/Composer';
import { actionError } from '../components/StatusItem';
import { Timeline } from '../components/Timeline';
import { useApp } from '../context';

const acceptAll = () => true;
const acceptNone = () => false;

/** The home feed: people and topics I follow, with the composer on top. */
export function Home() {
  const { api } = useApp();
  const load = useCallback((cursor: PageCursor | null) => api.homeTimeline(cursor), [api]);
  return (
    <>
      <h1 tabIndex={-1}>Home</h1>
      <Composer />
      <Timeline label="Home timeline" load={load} accepts={acceptAll} marker="home" empty="Nothing here yet. Follow people from the All company feed, or write the first post." />
    </>
  );
}

/** Everyone's posts. */
export function PublicFeed() {
  const { api } = useApp();
  const [generation, setGeneration] = useState(0);
  const load = useCallback((cursor: PageCursor | null) => api.publicTimeline(cursor), [api]);
  return (
    <>
      <div class="title-row">
        <h1 tabIndex={-1}>All company</h1>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setGeneration((g) => g + 1);
          }}
        >
          Refresh
        </button>
      </div>
      <p class="intro">Everyone’s posts. Open a name to see their profile and follow them.</p>
      {/* A new key remounts the timeline, which loads its first page again. */}
      <Timeline key={generation} label="All company timeline" load={load} accepts={acceptAll} empty="Nobody has posted yet." />
    </>
  );
}

/** Whether a post carries a topic (case-insensitive). */
export function hasTag(status: Status, tag: string): boolean {
  const wanted = tag.toLowerCase();
  return (status.tags ?? []).some((t) => t.name.toLowerCase() === wanted);
}

/** A #topic: its posts, live, and follow/unfollow. */
export function TagPage({ tag }: { tag: string }) {
  const { api, sessionEnded } = useApp();
  const [info, setInfo] = useState<Tag | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback((cursor: PageCursor | null) => api.tagTimeline(tag, cursor), [api, tag]);
  const accepts = useCallback((status: Status) => hasTag(status, tag), [tag]);

  useEffect(() => {
    api
      .tag(tag)
      .then(setInfo)
      .catch(() => {
        setInfo({ name: tag, url: '', following: false });
      });
  }, [api, tag]);

  const toggle = async () => {
    if (!info) return;
    setBusy(true);
    setError(null);
    try {
      setInfo(await api.followTag(tag, !info.following));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(actionError(e, 'That did not work.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div class="title-row">
        <h1 tabIndex={-1}>#{tag}</h1>
        <button type="button" class={info?.following ? 'secondary' : ''} disabled={busy || !info} onClick={() => void toggle()}>
          {info?.following ? 'Unfollow topic' : 'Follow topic'}
        </button>
      </div>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p class="intro">Followed topics bring their posts to your home feed.</p>
      <Timeline label={`Posts tagged ${tag}`} load={load} accepts={accepts} stream={{ stream: 'hashtag', params: { tag } }} empty={`No posts tagged #${tag} yet.`} />
    </>
  );
}

/** "Threads I follow": the newest posts of threads I follow or take part in. */
export function ThreadsFeed() {
  const { api } = useApp();
  const load = useCallback((cursor: PageCursor | null) => api.threadsTimeline(cursor), [api]);
  return (
    <>
      <h1 tabIndex={-1}>Threads I follow</h1>
      <p class="intro">Conversations you started, replied to, or follow.</p>
      <Timeline label="Threads I follow" load={load} accepts={acceptNone} empty="No threads yet. Reply to a post, or follow its thread from the conversation view." />
    </>
  );
}

/** My bookmarks. */
export function Bookmarks() {
  const { api } = useApp();
  const load = useCallback((cursor: PageCursor | null) => api.bookmarks(cursor), [api]);
  const accepts = useCallback((status: Status) => status.bookmarked === true, []);
  return (
    <>
      <h1 tabIndex={-1}>Bookmarks</h1>
      <Timeline label="Bookmarked posts" load={load} accepts={accepts} empty="Nothing bookmarked yet. Use Bookmark on a post to keep it here." />
    </>
  );
}
