import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type FieldErrors } from '../api/errors';
import type { Community, Status } from '../api/types';
import { applySuggestion, characterCount, loadDraft, saveDraft, tokenAt, type Token } from '../composer';
import { maxCharacters, useApp } from '../context';

/** One autocomplete suggestion: what is inserted, and what is shown. */
interface Suggestion {
  value: string;
  label: string;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Props of a composer. */
export interface ComposerProps {
  /** Where the draft is kept (`home`, `reply-<id>`, `community-<id>`). */
  scope?: string;
  label?: string;
  replyTo?: Status | null;
  /** Post into this community; hides the picker. */
  communityId?: string;
  onPosted?: (status: Status) => void;
}

/**
 * The post box: text with @mention and #topic suggestions, a community picker, a
 * "question" switch, an image with its description, a character counter, a draft kept
 * across reloads, and the server's objections next to the field they name.
 */
export function Composer({ scope = 'home', label = 'What’s new?', replyTo = null, communityId, onPosted }: ComposerProps) {
  const { api, instance, emit, sessionEnded } = useApp();
  const base = scope === 'home' ? 'composer' : `composer-${scope}`;
  const initial = useMemo(() => loadDraft(storage(), scope), [scope]);
  const [text, setText] = useState(initial?.text ?? (replyTo ? `@${replyTo.account.acct} ` : ''));
  const [community, setCommunity] = useState(communityId ?? initial?.communityId ?? '');
  const [question, setQuestion] = useState(initial?.question ?? false);
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const [communities, setCommunities] = useState<Community[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [token, setToken] = useState<Token | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const limit = maxCharacters(instance);
  const remaining = limit - characterCount(text);
  const blank = text.trim() === '' && !file;
  const reply = replyTo !== null;

  useEffect(() => {
    saveDraft(storage(), scope, { text, communityId: communityId ? '' : community, question });
  }, [scope, text, community, question, communityId]);

  useEffect(() => {
    if (reply || communityId) return;
    api
      .communities()
      .then((page) => {
        setCommunities(page.items.filter((c) => !c.private || c.membership?.state === 'active'));
      })
      .catch(() => {
        // Without the list the post goes to everyone; nothing else depends on it.
      });
  }, [api, reply, communityId]);

  // Suggestions for the word under the caret, a moment after typing stops.
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const query = token ? `${token.kind}:${token.query}` : '';
  useEffect(() => {
    const token = tokenRef.current;
    if (!token || token.query.length < 1) {
      setSuggestions([]);
      return;
    }
    let cancelled = false;
    const id = setTimeout(() => {
      api
        .search(token.query, token.kind === 'mention' ? 'accounts' : 'hashtags', 6)
        .then((results) => {
          if (cancelled) return;
          setActive(0);
          setSuggestions(
            token.kind === 'mention'
              ? results.accounts.map((a) => ({ value: a.acct, label: `@${a.acct}${a.display_name ? ` (${a.display_name})` : ''}` }))
              : results.hashtags.map((t) => ({ value: t.name, label: `#${t.name}` })),
          );
        })
        .catch(() => {
          if (!cancelled) setSuggestions([]);
        });
    }, 180);
    return () => {
      cancelled = true;
      clearTimeout(id);
    };
  }, [api, query]);

  const updateToken = (el: HTMLTextAreaElement) => {
    setToken(tokenAt(el.value, el.selectionStart));
  };

  const choose = (suggestion: Suggestion) => {
    if (!token) return;
    const applied = applySuggestion(text, token, suggestion.value);
    setText(applied.text);
    setToken(null);
    setSuggestions([]);
    requestAnimationFrame(() => {
      const el = textarea.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(applied.caret, applied.caret);
    });
  };

  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (busy || blank || remaining < 0) return;
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const mediaIds: string[] = [];
      if (file) mediaIds.push((await api.uploadMedia(file, description)).id);
      const status = await api.postStatus({
        status: text,
        in_reply_to_id: replyTo?.id ?? null,
        community_id: reply ? null : community || null,
        hubbub_question: reply ? false : question,
        media_ids: mediaIds,
      });
      setText('');
      setQuestion(false);
      setFile(null);
      setDescription('');
      if (fileInput.current) fileInput.current.value = '';
      saveDraft(storage(), scope, { text: '', communityId: '', question: false });
      emit({ kind: 'update', status });
      onPosted?.(status);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) sessionEnded();
      if (err instanceof ApiError) {
        const known = ['status', 'community_id', 'media_ids', 'file', 'description', 'in_reply_to_id'];
        setFields(err.fields);
        if (!known.some((f) => err.fieldError(f))) setError(err.message);
      } else {
        setError('Could not post.');
      }
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        const chosen = suggestions[active];
        if (chosen) {
          e.preventDefault();
          choose(chosen);
          return;
        }
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setSuggestions([]);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };

  const statusError = fields.status?.join(' ') ?? null;
  const communityError = fields.community_id?.join(' ') ?? null;
  const mediaError = [...(fields.media_ids ?? []), ...(fields.file ?? []), ...(fields.description ?? [])].join(' ') || null;
  const listId = `${base}-suggestions`;
  const open = suggestions.length > 0;

  return (
    <form class="composer" onSubmit={(e) => void submit(e)} noValidate>
      <label for={`${base}-text`}>{label}</label>
      <div class="autocomplete">
        <textarea
          ref={textarea}
          id={`${base}-text`}
          name="status"
          rows={3}
          value={text}
          aria-autocomplete="list"
          aria-controls={listId}
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          onInput={(e) => {
            setText(e.currentTarget.value);
            updateToken(e.currentTarget);
          }}
          onClick={(e) => {
            updateToken(e.currentTarget);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setTimeout(() => {
              setSuggestions([]);
            }, 150);
          }}
          aria-invalid={statusError !== null || remaining < 0}
          aria-describedby={`${base}-count${statusError ? ` ${base}-error` : ''}`}
          placeholder={reply ? 'Write a reply' : 'Share something with the company. @mention people, #tag topics.'}
        />
        <ul id={listId} role="listbox" class="suggestions" hidden={!open} aria-label="Suggestions">
          {suggestions.map((s, i) => (
            <li
              key={s.value}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(s);
              }}
            >
              {s.label}
            </li>
          ))}
        </ul>
      </div>
      {statusError ? (
        <p id={`${base}-error`} class="field-error" role="alert">
          {statusError}
        </p>
      ) : null}
      {!reply ? (
        <div class="composer-options">
          {!communityId ? (
            <div class="field inline">
              <label for={`${base}-community`}>Post to</label>
              <select
                id={`${base}-community`}
                value={community}
                aria-invalid={communityError ? true : undefined}
                aria-describedby={communityError ? `${base}-community-error` : undefined}
                onChange={(e) => {
                  setCommunity(e.currentTarget.value);
                }}
              >
                <option value="">Everyone</option>
                {communities.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                    {c.private ? ' (private)' : ''}
                  </option>
                ))}
              </select>
              {communityError ? (
                <p id={`${base}-community-error`} class="field-error">
                  {communityError}
                </p>
              ) : null}
            </div>
          ) : null}
          <label class="check">
            <input
              type="checkbox"
              checked={question}
              onChange={(e) => {
                setQuestion(e.currentTarget.checked);
              }}
            />{' '}
            This is a question
          </label>
          <div class="field inline">
            <label for={`${base}-image`}>Image</label>
            <input
              ref={fileInput}
              id={`${base}-image`}
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp"
              aria-invalid={mediaError ? true : undefined}
              aria-describedby={mediaError ? `${base}-image-error` : undefined}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
              }}
            />
          </div>
          {file ? (
            <div class="field">
              <label for={`${base}-alt`}>Image description (for people who cannot see it)</label>
              <input
                id={`${base}-alt`}
                type="text"
                value={description}
                onInput={(e) => {
                  setDescription(e.currentTarget.value);
                }}
              />
            </div>
          ) : null}
          {mediaError ? (
            <p id={`${base}-image-error`} class="field-error">
              {mediaError}
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p class="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="composer-row">
        <span id={`${base}-count`} class={remaining < 0 ? 'count over' : 'count'} aria-live="polite">
          {remaining < 0 ? `${-remaining} characters over the limit of ${limit}` : `${remaining} characters left`}
        </span>
        <button type="submit" disabled={busy || blank || remaining < 0}>
          {busy ? 'Posting…' : reply ? 'Reply' : 'Post'}
        </button>
      </div>
    </form>
  );
}
