import { useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import type { Account, Status } from '../api/types';
import { useApp } from '../context';
import { href } from '../router';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A person's display name, falling back to the username (always rendered as text). */
export function displayName(account: Account): string {
  return account.display_name.trim() || account.username;
}

/** A letter avatar: no image request, nothing from the network. */
export function Avatar({ account, size = 'small' }: { account: Account; size?: 'small' | 'large' }) {
  const letter = (displayName(account)[0] ?? '?').toUpperCase();
  return (
    <span class={`avatar avatar-${size}`} aria-hidden="true">
      {letter}
    </span>
  );
}

/** One post. `content` is the server's sanitised HTML; all other strings are text. */
export function StatusItem({ status }: { status: Status }) {
  const { api, me, emit, sessionEnded } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const own = status.account.id === me.id;
  const created = new Date(status.created_at);
  const headingId = `status-${status.id}-author`;

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteStatus(status.id);
      emit({ kind: 'delete', id: status.id });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(e instanceof ApiError ? e.message : 'Could not delete the post.');
      setBusy(false);
    }
  };

  return (
    <article class="status" aria-labelledby={headingId} data-status-id={status.id}>
      <header class="status-head">
        <a class="author" href={href({ name: 'account', id: status.account.id })}>
          <Avatar account={status.account} />
          <span class="author-text">
            <span id={headingId} class="author-name">
              {displayName(status.account)}
            </span>
            <span class="acct">@{status.account.acct}</span>
          </span>
        </a>
        {Number.isNaN(created.getTime()) ? null : (
          <time class="when" dateTime={status.created_at}>
            {dateFormat.format(created)}
          </time>
        )}
      </header>
      {/* The one place HTML is rendered: the server sanitises `content`. */}
      <div class="content" dangerouslySetInnerHTML={{ __html: status.content }} />
      {own ? (
        <div class="status-actions">
          <button type="button" class="link-button danger" onClick={() => void remove()} disabled={busy}>
            {busy ? 'Deleting…' : 'Delete'}
            <span class="visually-hidden"> this post</span>
          </button>
          {error ? (
            <span class="field-error" role="alert">
              {error}
            </span>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
