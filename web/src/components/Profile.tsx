import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import type { Account, PageCursor, Relationship, Status } from '../api/types';
import { useApp } from '../context';
import { Avatar, displayName } from './StatusItem';
import { Timeline } from './Timeline';
import { href } from '../router';

/** Follow / Unfollow for another person's profile. */
function FollowButton({ account, onFollowChange }: { account: Account; onFollowChange: (following: boolean) => void }) {
  const { api, sessionEnded } = useApp();
  const [relationship, setRelationship] = useState<Relationship | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .relationships([account.id])
      .then((rels) => {
        if (!cancelled) setRelationship(rels.find((r) => r.id === account.id) ?? { id: account.id, following: false, followed_by: false });
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        setError(e instanceof ApiError ? e.message : 'Could not load whether you follow this person.');
      });
    return () => {
      cancelled = true;
    };
  }, [api, account.id, sessionEnded]);

  const toggle = async () => {
    if (!relationship) return;
    setBusy(true);
    setError(null);
    try {
      const updated = relationship.following ? await api.unfollow(account.id) : await api.follow(account.id);
      if (updated.following !== relationship.following) onFollowChange(updated.following);
      setRelationship(updated);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(e instanceof ApiError ? e.message : 'That did not work. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const following = relationship?.following ?? false;
  return (
    <div class="follow">
      <button
        type="button"
        class={following ? 'secondary' : ''}
        onClick={() => void toggle()}
        disabled={busy || relationship === null}
        aria-describedby={error ? 'follow-error' : undefined}
      >
        {following ? 'Unfollow' : 'Follow'}
      </button>
      {relationship?.followed_by ? <span class="badge">Follows you</span> : null}
      {error ? (
        <p id="follow-error" class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A person's page: who they are, follow/unfollow, and their posts. */
export function Profile({ id, username }: { id?: string; username?: string }) {
  const { api, me, sessionEnded } = useApp();
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setAccount(null);
    setError(null);
    const request = id !== undefined ? api.account(id) : api.lookup(username ?? '');
    request
      .then((a) => {
        if (!cancelled) setAccount(a);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        setError(e instanceof ApiError && e.status === 404 ? 'There is no such person here.' : e instanceof ApiError ? e.message : 'Could not load this profile.');
      });
    return () => {
      cancelled = true;
    };
  }, [api, id, username, sessionEnded]);

  const accountId = account?.id;
  const load = useCallback((cursor: PageCursor | null) => api.accountStatuses(accountId ?? '', cursor), [api, accountId]);
  const accepts = useCallback((s: Status) => s.account.id === accountId, [accountId]);

  if (error) {
    return (
      <>
        <h1 tabIndex={-1}>Profile</h1>
        <p class="notice error" role="alert">
          {error}
        </p>
      </>
    );
  }
  if (!account) {
    return (
      <p class="notice" role="status">
        Loading…
      </p>
    );
  }
  return (
    <>
      <div class="profile">
        <Avatar account={account} size="large" />
        <div class="profile-text">
          <h1 tabIndex={-1}>{displayName(account)}</h1>
          <p class="acct">@{account.acct}</p>
          {[account.hubbub?.job_title, account.hubbub?.department, account.hubbub?.location].some(Boolean) ? (
            <p class="muted">
              {account.hubbub?.job_title}
              {account.hubbub?.job_title && account.hubbub.department ? ' · ' : ''}
              {account.hubbub?.department ? (
                <a href={href({ name: 'directory', department: account.hubbub.department })}>{account.hubbub.department}</a>
              ) : null}
              {account.hubbub?.location ? ` · ${account.hubbub.location}` : ''}
            </p>
          ) : null}
          {account.note ? <div class="content" dangerouslySetInnerHTML={{ __html: account.note }} /> : null}
          <p class="counts">
            <span>
              <strong>{account.statuses_count}</strong> posts
            </span>{' '}
            <span>
              <strong>{account.following_count}</strong> following
            </span>{' '}
            <span>
              <strong>{account.followers_count}</strong> followers
            </span>
          </p>
        </div>
        {account.id === me.id ? (
          <span class="follow">
            <span class="badge">This is you</span>
            <a href={href({ name: 'profile-edit' })}>Edit profile</a>
          </span>
        ) : (
          <FollowButton
            account={account}
            onFollowChange={(following) => {
              setAccount({ ...account, followers_count: Math.max(0, account.followers_count + (following ? 1 : -1)) });
            }}
          />
        )}
      </div>
      <Timeline label={`Posts by ${displayName(account)}`} load={load} accepts={accepts} empty="No posts yet." />
    </>
  );
}
