import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import type { Notification, PageCursor } from '../api/types';
import { actionError, displayName } from '../components/StatusItem';
import { useApp } from '../context';
import { mergeNewer, mergeOlder, newestId } from '../feed';
import { REACTIONS } from '../format';
import { groupNotifications, namesLabel, type NotificationGroup } from '../notifications';
import { href } from '../router';

function reactionWord(name: string): string {
  if (name === 'favourite') return 'Like';
  return REACTIONS.find((r) => r.name === name)?.label ?? name;
}

function describe(group: NotificationGroup): string {
  const who = namesLabel(group.accounts.map(displayName));
  switch (group.type) {
    case 'mention':
      return `${who} mentioned you or replied`;
    case 'follow':
      return `${who} followed you`;
    case 'reaction':
      return `${who} reacted (${group.reactions.map(reactionWord).join(', ')}) to your post`;
    case 'hubbub.answer_accepted':
      return `${who} accepted your answer`;
    default:
      return `${who}: ${group.type}`;
  }
}

/** Notifications, newest first, likes and reactions grouped per post; arriving live. */
export function Notifications() {
  const { api, subscribe, setUnread, sessionEnded } = useApp();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [next, setNext] = useState<PageCursor | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (cursor: PageCursor | null) => {
      setLoading(true);
      try {
        const page = await api.notifications(cursor);
        setItems((current) => (cursor && current ? mergeOlder(current, page.items) : page.items));
        setNext(page.next);
        setError(null);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        setError(actionError(e, 'Could not load notifications.'));
        setItems((current) => current ?? []);
      } finally {
        setLoading(false);
      }
    },
    [api, sessionEnded],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  useEffect(
    () =>
      subscribe((event) => {
        if (event.kind === 'notification') setItems((current) => mergeNewer(current ?? [], [event.notification]));
      }),
    [subscribe],
  );

  // Reading this screen marks everything shown as read, here and on the user's other devices.
  const newest = newestId(items ?? []);
  useEffect(() => {
    setUnread(0);
    if (!newest) return;
    api.setMarker('notifications', newest).catch(() => {
      // Without markers the badge resets locally only.
    });
  }, [api, newest, setUnread]);

  return (
    <>
      <h1 tabIndex={-1}>Notifications</h1>
      {error ? <p class="notice error" role="alert">{error}</p> : null}
      {items === null ? <p class="notice" role="status">Loading…</p> : null}
      {items?.length === 0 && !error ? <p class="notice">No notifications yet.</p> : null}
      <ul class="notifications" aria-label="Notifications">
        {groupNotifications(items ?? []).map((group) => {
          const status = group.notifications[0]?.status;
          const first = group.accounts[0];
          return (
            <li key={group.id} class="card notification" data-type={group.type}>
              <p>
                {first && group.accounts.length === 1 ? <a href={href({ name: 'account', id: first.id })}>{describe(group)}</a> : describe(group)}
              </p>
              {status ? (
                <a class="quote" href={href({ name: 'status', id: status.id })}>
                  {/* Plain text of the post: the server's `text` or the content without tags. */}
                  {status.text ?? new DOMParser().parseFromString(status.content, 'text/html').body.textContent}
                </a>
              ) : null}
            </li>
          );
        })}
      </ul>
      {next ? (
        <button type="button" class="load-more" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </>
  );
}
