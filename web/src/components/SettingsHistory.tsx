import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { HelpdeskSettings, PageCursor, SettingsHistoryEntry } from '../api/types';
import { useApp } from '../context';
import { href } from '../router';
import { describeChange, settingsDiff } from '../settingsDiff';
import { actionError, displayName } from './StatusItem';

/** Props of the history: the version in force, so a save shows up at once. */
export interface SettingsHistoryProps {
  current: number;
}

function Changes({ before, after }: { before: HelpdeskSettings | undefined; after: HelpdeskSettings }) {
  if (!before) return <p class="muted">Loading the changes…</p>;
  const changes = settingsDiff(before, after);
  if (changes.length === 0) return <p class="muted">Saved without changes.</p>;
  return (
    <ul class="changes">
      {changes.map((change) => (
        <li key={change.path}>{describeChange(change)}</li>
      ))}
    </ul>
  );
}

/**
 * Every saved version of the help-desk settings, newest first: who saved it, when,
 * and what changed from the version before (version 1 is compared with the defaults).
 */
export function SettingsHistory({ current }: SettingsHistoryProps) {
  const { api } = useApp();
  const [versions, setVersions] = useState<SettingsHistoryEntry[]>([]);
  const [bodies, setBodies] = useState<Record<number, HelpdeskSettings>>({});
  const [next, setNext] = useState<PageCursor | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const focusFrom = useRef<number | null>(null);

  const remember = useCallback((entries: SettingsHistoryEntry[]) => {
    setBodies((known) => {
      const more = { ...known };
      for (const entry of entries) more[entry.version] = entry.settings;
      return more;
    });
  }, []);

  const loadPage = useCallback(
    async (cursor: PageCursor | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await api.helpdeskSettingsHistory(cursor);
        setVersions((shown) => (cursor ? [...shown, ...page.items.filter((v) => !shown.some((s) => s.version === v.version))] : page.items));
        setNext(page.next);
        remember(page.items);
        // The oldest version of the page is compared with the one before it.
        const oldest = page.items[page.items.length - 1];
        if (oldest && oldest.version >= 1) remember([await api.helpdeskSettingsVersion(oldest.version - 1)]);
      } catch (e) {
        setError(actionError(e, 'Could not load the history.'));
      } finally {
        setLoading(false);
      }
    },
    [api, remember],
  );

  useEffect(() => {
    void loadPage(null);
  }, [loadPage, current]);

  // After "Show older versions", focus moves to the first older version, so a keyboard
  // or screen-reader user continues where the new entries start.
  useEffect(() => {
    const first = focusFrom.current === null ? null : list.current?.children[focusFrom.current];
    if (first instanceof HTMLElement) {
      first.focus();
      focusFrom.current = null;
    }
  }, [versions]);

  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {versions.length === 0 && !loading && !error ? <p class="muted">No saved versions yet: the defaults are in force.</p> : null}
      <ol class="settings-history" ref={list}>
        {versions.map((v) => {
          const who = v.account;
          return (
            // Focusable by script only: "Show older versions" moves focus to the first older one.
            <li key={v.version} tabIndex={-1}>
              <h3 class="small-heading">
                Version {v.version}
                {v.version === current ? <span class="badge ok">In force</span> : null}
              </h3>
              <p class="muted">
                Saved by {who ? <a href={href({ name: 'account', id: who.id })}>{displayName(who)}</a> : 'a removed account'}
                {v.created_at ? (
                  <>
                    {' '}
                    on <time dateTime={v.created_at}>{new Date(v.created_at).toLocaleString()}</time>
                  </>
                ) : null}
              </p>
              <Changes before={bodies[v.version - 1]} after={v.settings} />
            </li>
          );
        })}
      </ol>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {loading ? (
        <p class="muted" role="status">
          Loading the history…
        </p>
      ) : next ? (
        <button
          type="button"
          class="small secondary"
          onClick={() => {
            focusFrom.current = versions.length;
            void loadPage(next);
          }}
        >
          Show older versions
        </button>
      ) : null}
    </section>
  );
}
