import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { StreamConnection, streamingUrl, type StreamEvent } from '../api/stream';
import type { ApiClient } from '../api/client';
import type { Page, PageCursor, Status } from '../api/types';
import { compareIds } from '../feed';
import { Composer } from '../components/Composer';
import { actionError, StatusItem } from '../components/StatusItem';
import { roleOf, useApp, type FeedEvent } from '../context';
import { threadRows, upsert } from '../thread';
import { hasTag } from './Feeds';

/** Replies to `root` (and replies to those) among the newest public posts: a fallback for servers without `context`. */
async function recentReplies(api: ApiClient, root: Status): Promise<Status[]> {
  const inThread = new Set([root.id]);
  const found: Status[] = [];
  let cursor: PageCursor | null = null;
  const seen: Status[] = [];
  for (let page = 0; page < 3; page += 1) {
    const result: Page<Status> = await api.publicTimeline(cursor);
    seen.push(...result.items);
    if (!result.next) break;
    cursor = result.next;
  }
  // Oldest first, so a reply's parent is known before the reply.
  for (const post of seen.sort((a, b) => compareIds(a.id, b.id))) {
    if (post.in_reply_to_id && inThread.has(post.in_reply_to_id) && !inThread.has(post.id)) {
      inThread.add(post.id);
      found.push(post);
    }
  }
  return found;
}

/** A whole conversation: replies arrive live, reply inline, accept an answer. */
export function ThreadView({ id }: { id: string }) {
  const { api, me, subscribe, instance, sessionEnded } = useApp();
  const [posts, setPosts] = useState<Status[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [replyTo, setReplyTo] = useState<Status | null>(null);
  const [followBusy, setFollowBusy] = useState(false);

  useEffect(() => {
    const run = { cancelled: false };
    const stopped = () => run.cancelled;
    setPosts(null);
    setError(null);
    setNotice(null);
    api
      .status(id)
      .then(async (status) => {
        try {
          const context = await api.context(id);
          if (!stopped()) setPosts([...context.ancestors, status, ...context.descendants]);
        } catch (e) {
          if (stopped()) return;
          if (e instanceof ApiError && e.status === 404) {
            // No context endpoint on this server: gather recent public replies instead.
            const replies = await recentReplies(api, status).catch(() => []);
            if (stopped()) return;
            setPosts([status, ...replies]);
            setNotice('This server cannot show whole conversations yet: only recent replies are shown.');
          } else {
            setPosts([status]);
            setNotice(actionError(e, 'Could not load the replies.'));
          }
        }
      })
      .catch((e: unknown) => {
        if (stopped()) return;
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        setError(e instanceof ApiError && e.status === 404 ? 'This post does not exist, or you cannot see it.' : actionError(e, 'Could not load the post.'));
      });
    return () => {
      run.cancelled = true;
    };
  }, [api, id, sessionEnded]);

  const root = posts?.find((p) => !p.in_reply_to_id) ?? posts?.[0] ?? null;
  const threadId = posts?.find((p) => p.id === id)?.hubbub?.thread_id ?? root?.id ?? id;
  const ids = useMemo(() => new Set((posts ?? []).map((p) => p.id)), [posts]);

  const onEvent = useCallback(
    (event: StreamEvent | FeedEvent) => {
      if (event.kind === 'delete') {
        setPosts((current) => current?.filter((p) => p.id !== event.id) ?? null);
      } else if (event.kind === 'update' || event.kind === 'status.update') {
        const status = event.status;
        setPosts((current) => {
          if (!current) return current;
          const belongs = current.some((p) => p.id === status.id || p.id === status.in_reply_to_id) || status.hubbub?.thread_id === threadId;
          return belongs ? upsert(current, status) : current;
        });
      }
    },
    [threadId],
  );
  useEffect(() => subscribe(onEvent), [subscribe, onEvent]);

  const token = api.accessToken;
  const streamBase = instance?.configuration?.urls?.streaming;
  const loaded = posts !== null;
  useEffect(() => {
    if (!token || !loaded) return;
    const connection = new StreamConnection({
      url: streamingUrl(streamBase, 'thread', location.href, { thread: threadId }),
      token,
      onEvent,
    });
    connection.start();
    return () => {
      connection.stop();
    };
  }, [token, streamBase, threadId, loaded, onEvent]);

  if (error) return <p class="notice error" role="alert">{error}</p>;
  if (!posts || !root) return <p class="notice" role="status">Loading…</p>;

  const role = roleOf(me);
  const question = root.hubbub?.question ?? null;
  const askable = question !== null || hasTag(root, 'helpdesk');
  const mayAccept = askable && (root.account.id === me.id || role === 'support' || role === 'admin');
  const followed = root.hubbub?.thread_followed === true;

  const toggleFollow = async () => {
    setFollowBusy(true);
    try {
      const updated = await api.statusAction(root.id, followed ? 'unfollow_thread' : 'follow_thread');
      setPosts((current) => (current ? upsert(current, updated) : current));
    } catch (e) {
      setNotice(actionError(e, 'Could not change following this thread.'));
    } finally {
      setFollowBusy(false);
    }
  };

  return (
    <>
      <div class="title-row">
        <h1 tabIndex={-1}>{question ? (question.answered ? 'Answered question' : 'Question') : 'Conversation'}</h1>
        <button type="button" class="secondary" disabled={followBusy} aria-pressed={followed} onClick={() => void toggleFollow()}>
          {followed ? 'Following thread' : 'Follow thread'}
        </button>
      </div>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <ol class="thread" aria-label="Conversation">
        {threadRows(posts).map(({ status, depth }) => (
          <li key={status.id} style={{ marginInlineStart: `${depth * 1.25}rem` }}>
            <StatusItem
              status={status}
              focused={status.id === id}
              canAccept={mayAccept && status.id !== root.id && status.account.id !== root.account.id}
              questionId={root.id}
              onReply={setReplyTo}
            />
          </li>
        ))}
      </ol>
      <section class="reply" aria-label="Reply">
        {replyTo && replyTo.id !== root.id ? (
          <p class="muted">
            Replying to @{replyTo.account.acct}{' '}
            <button type="button" class="link-button" onClick={() => {
              setReplyTo(null);
            }}>
              reply to the first post instead
            </button>
          </p>
        ) : null}
        <Composer
          key={replyTo?.id ?? root.id}
          scope={`reply-${replyTo?.id ?? root.id}`}
          label="Your reply"
          replyTo={replyTo ?? root}
          onPosted={(status) => {
            if (!ids.has(status.id)) setPosts((current) => (current ? upsert(current, status) : current));
            setReplyTo(null);
          }}
        />
      </section>
    </>
  );
}
