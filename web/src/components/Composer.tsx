import { useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { maxCharacters, useApp } from '../context';

/** Counts characters as the server does: by code point, so an emoji is one. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/** The post box: a labelled textarea, a character counter and server errors beside it. */
export function Composer() {
  const { api, instance, emit, sessionEnded } = useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const limit = maxCharacters(instance);
  const remaining = limit - characterCount(text);
  const blank = text.trim() === '';

  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (busy || blank || remaining < 0) return;
    setBusy(true);
    setError(null);
    try {
      const status = await api.postStatus(text);
      setText('');
      emit({ kind: 'update', status });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) sessionEnded();
      setError(err instanceof ApiError ? (err.fieldError('status') ?? err.message) : 'Could not post.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="composer" onSubmit={(e) => void submit(e)} noValidate>
      <label for="composer-text">What’s new?</label>
      <textarea
        id="composer-text"
        name="status"
        rows={3}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
        }}
        aria-invalid={error !== null || remaining < 0}
        aria-describedby={`composer-count${error ? ' composer-error' : ''}`}
        placeholder="Share something with the company"
      />
      {error ? (
        <p id="composer-error" class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="composer-row">
        <span id="composer-count" class={remaining < 0 ? 'count over' : 'count'}>
          {remaining < 0
            ? `${-remaining} characters over the limit of ${limit}`
            : `${remaining} characters left`}
        </span>
        <button type="submit" disabled={busy || blank || remaining < 0}>
          {busy ? 'Posting…' : 'Post'}
        </button>
      </div>
    </form>
  );
}
