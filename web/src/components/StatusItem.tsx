import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import type { Account, Status, StatusEdit } from '../api/types';
import { useApp } from '../context';
import { REACTIONS, reactionCounts } from '../format';
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

/** The message for a failed action; a 404 means the server does not offer it (yet). */
export function actionError(e: unknown, fallback: string): string {
  if (e instanceof ApiError && e.status === 404) return 'This server does not offer that yet.';
  return e instanceof ApiError ? e.message : fallback;
}

/** Props of one post. */
export interface StatusItemProps {
  status: Status;
  /** In a thread: whether the viewer may mark this reply as the question's answer. */
  canAccept?: boolean;
  /** In a thread: the question (or help-desk ticket) this reply would answer. */
  questionId?: string;
  /** In a thread: called with the reply to answer. */
  onReply?: (status: Status) => void;
  /** Highlight this post (the one a thread was opened at). */
  focused?: boolean;
}

function History({ id }: { id: string }) {
  const { api } = useApp();
  const [edits, setEdits] = useState<StatusEdit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .statusHistory(id)
      .then(setEdits)
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load the history.'));
      });
  }, [api, id]);
  if (error) return <p class="field-error">{error}</p>;
  if (!edits) return <p class="notice">Loading history…</p>;
  return (
    <ol class="history" aria-label="Edit history, oldest first">
      {edits.map((edit, i) => (
        <li key={`${edit.created_at}-${i}`}>
          <time dateTime={edit.created_at}>{dateFormat.format(new Date(edit.created_at))}</time>
          <div class="content" dangerouslySetInnerHTML={{ __html: edit.content }} />
        </li>
      ))}
    </ol>
  );
}

/** One post. `content` is the server's sanitised HTML; all other strings are text. */
export function StatusItem({ status: initial, canAccept = false, questionId, onReply, focused = false }: StatusItemProps) {
  const { api, me, emit, sessionEnded } = useApp();
  const [status, setStatus] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [showHistory, setShowHistory] = useState(false);
  const [acceptedHere, setAcceptedHere] = useState(false);
  useEffect(() => {
    setStatus(initial);
  }, [initial]);

  const own = status.account.id === me.id;
  const created = new Date(status.created_at);
  const headingId = `status-${status.id}-author`;
  const ext = status.hubbub ?? null;
  const deleted = ext?.deleted === true;

  const run = async (fn: () => Promise<Status | null>, fallback: string) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await fn();
      if (updated) {
        setStatus(updated);
        emit({ kind: 'status.update', status: updated });
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(actionError(e, fallback));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteStatus(status.id);
      emit({ kind: 'delete', id: status.id });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(actionError(e, 'Could not delete the post.'));
      setBusy(false);
    }
  };

  const startEdit = async () => {
    setDraft(status.text ?? '');
    setEditing(true);
    if (!status.text) {
      try {
        const source = await api.status(status.id);
        setDraft(source.text ?? '');
      } catch {
        // Editing starts empty if the source cannot be read.
      }
    }
  };

  const saveEdit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const updated = await api.editStatus(status.id, draft);
      setEditing(false);
      return updated;
    }, 'Could not save the edit.');
  };

  if (deleted) {
    return (
      <article class="status deleted" data-status-id={status.id}>
        <p class="notice">This post was deleted.</p>
      </article>
    );
  }

  const question = ext?.question ?? null;
  const accepted = ext?.accepted_answer === true || acceptedHere;
  const classes = ['status', accepted ? 'accepted' : '', focused ? 'focused' : ''].filter(Boolean).join(' ');
  const thread = href({ name: 'status', id: status.id });

  return (
    <article class={classes} aria-labelledby={headingId} data-status-id={status.id}>
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
          <a class="when" href={thread} title="Open the conversation">
            <time dateTime={status.created_at}>{dateFormat.format(created)}</time>
          </a>
        )}
      </header>
      {question || accepted ? (
        <p class="tags-row">
          {question ? <span class={`badge ${question.answered ? 'ok' : ''}`}>{question.answered ? 'Answered question' : 'Question'}</span> : null}
          {accepted ? <span class="badge ok">Accepted answer</span> : null}
        </p>
      ) : null}
      {editing ? (
        <form class="edit-form" onSubmit={saveEdit}>
          <label for={`edit-${status.id}`}>Edit post</label>
          <textarea
            id={`edit-${status.id}`}
            rows={3}
            value={draft}
            onInput={(e) => {
              setDraft(e.currentTarget.value);
            }}
          />
          <div class="composer-row">
            <button type="button" class="secondary" onClick={() => {
              setEditing(false);
            }}>
              Cancel
            </button>
            <button type="submit" disabled={busy || draft.trim() === ''}>
              Save
            </button>
          </div>
        </form>
      ) : (
        /* The one place HTML is rendered: the server sanitises `content`. */
        <div class="content" dangerouslySetInnerHTML={{ __html: status.content }} />
      )}
      {(status.media_attachments ?? []).map((media) => (
        <a key={media.id} class="media" href={media.url} target="_blank" rel="noopener noreferrer">
          <img src={media.preview_url || media.url} alt={media.description ?? 'Image without a description'} loading="lazy" />
        </a>
      ))}
      {status.edited_at ? (
        <button type="button" class="link-button small" aria-expanded={showHistory} onClick={() => {
          setShowHistory((v) => !v);
        }}>
          Edited {dateFormat.format(new Date(status.edited_at))} · {showHistory ? 'hide history' : 'show history'}
        </button>
      ) : null}
      {showHistory ? <History id={status.id} /> : null}
      <div class="status-actions" role="group" aria-label="Actions">
        {onReply ? (
          <button type="button" class="chip" onClick={() => {
            onReply(status);
          }}>
            Reply<span class="visually-hidden"> to {displayName(status.account)}</span>
          </button>
        ) : (
          <a class="chip" href={thread}>
            {status.replies_count > 0 ? `Replies ${status.replies_count}` : 'Reply'}
            <span class="visually-hidden"> to {displayName(status.account)}</span>
          </a>
        )}
        <button
          type="button"
          class="chip"
          aria-pressed={status.favourited === true}
          disabled={busy}
          onClick={() => void run(() => api.statusAction(status.id, status.favourited ? 'unfavourite' : 'favourite'), 'Could not like the post.')}
        >
          Like{status.favourites_count > 0 ? ` ${status.favourites_count}` : ''}
        </button>
        {reactionCounts(status).map((r) => (
          <button
            key={r.name}
            type="button"
            class="chip"
            aria-pressed={r.me}
            disabled={busy}
            onClick={() => void run(() => api.react(status.id, r.name, !r.me), 'Could not react.')}
          >
            {REACTIONS.find((x) => x.name === r.name)?.label ?? r.name}
            {r.count > 0 ? ` ${r.count}` : ''}
          </button>
        ))}
        <button
          type="button"
          class="chip"
          aria-pressed={status.bookmarked === true}
          disabled={busy}
          onClick={() => void run(() => api.statusAction(status.id, status.bookmarked ? 'unbookmark' : 'bookmark'), 'Could not bookmark.')}
        >
          {status.bookmarked ? 'Bookmarked' : 'Bookmark'}
        </button>
        {canAccept && !accepted ? (
          <button type="button" class="chip" disabled={busy} onClick={() => void run(async () => {
            try {
              await api.statusAction(status.id, 'accept');
            } catch (e) {
              // Without the questions API, a help-desk ticket's answer is accepted through the help desk.
              if (!(e instanceof ApiError && e.status === 404 && questionId)) throw e;
              await api.acceptTicketAnswer(questionId, status.id);
            }
            setAcceptedHere(true);
            return api.status(status.id);
          }, 'Could not accept the answer.')}>
            Accept answer
          </button>
        ) : null}
        {own && !editing ? (
          <button type="button" class="link-button" onClick={() => void startEdit()} disabled={busy}>
            Edit<span class="visually-hidden"> this post</span>
          </button>
        ) : null}
        {own ? (
          <button type="button" class="link-button danger" onClick={() => void remove()} disabled={busy}>
            {busy ? 'Working…' : 'Delete'}
            <span class="visually-hidden"> this post</span>
          </button>
        ) : null}
      </div>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
}
