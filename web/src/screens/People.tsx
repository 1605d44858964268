import { useEffect, useRef, useState } from 'preact/hooks';
import type { Account, Department, SearchResults } from '../api/types';
import { actionError, Avatar, displayName, StatusItem } from '../components/StatusItem';
import { useApp } from '../context';
import { href } from '../router';

function Person({ account }: { account: Account }) {
  const extra = [account.hubbub?.job_title, account.hubbub?.department].filter(Boolean).join(' · ');
  return (
    <li class="person">
      <Avatar account={account} />
      <span>
        <a href={href({ name: 'account', id: account.id })}>{displayName(account)}</a> <span class="acct">@{account.acct}</span>
        {extra ? <span class="muted block">{extra}</span> : null}
      </span>
    </li>
  );
}

/** The directory: everyone, filtered by department. */
export function Directory({ department }: { department: string | null }) {
  const { api } = useApp();
  const [departments, setDepartments] = useState<Department[]>([]);
  const [people, setPeople] = useState<Account[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.departments().then(setDepartments).catch(() => {
      setDepartments([]);
    });
  }, [api]);
  useEffect(() => {
    setPeople(null);
    api
      .directory(department)
      .then((list) => {
        setPeople(list);
        setMore(list.length >= 40);
        setError(null);
      })
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load the directory.'));
        setPeople([]);
      });
  }, [api, department]);

  const loadMore = async () => {
    try {
      const list = await api.directory(department, people?.length ?? 0);
      setPeople((current) => [...(current ?? []), ...list.filter((a) => !current?.some((c) => c.id === a.id))]);
      setMore(list.length >= 40);
    } catch (e) {
      setError(actionError(e, 'Could not load more people.'));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Directory</h1>
      <div class="field inline">
        <label for="department">Department</label>
        <select
          id="department"
          value={department ?? ''}
          onChange={(e) => {
            location.hash = href({ name: 'directory', department: e.currentTarget.value || null });
          }}
        >
          <option value="">Everyone</option>
          {departments.map((d) => (
            <option key={d.name} value={d.name}>
              {d.name} ({d.accounts_count})
            </option>
          ))}
        </select>
      </div>
      {error ? <p class="notice error" role="alert">{error}</p> : null}
      {people === null ? <p class="notice" role="status">Loading…</p> : null}
      {people?.length === 0 && !error ? <p class="notice">Nobody here yet.</p> : null}
      <ul class="people card" aria-label="People">
        {(people ?? []).map((a) => (
          <Person key={a.id} account={a} />
        ))}
      </ul>
      {more ? (
        <button type="button" class="load-more" onClick={() => void loadMore()}>
          More people
        </button>
      ) : null}
    </>
  );
}

/** Search as you type: people, topics and posts. */
export function Search({ q }: { q: string }) {
  const { api } = useApp();
  const [query, setQuery] = useState(q);
  const [results, setResults] = useState<SearchResults | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) {
      setResults(null);
      return;
    }
    let cancelled = false;
    setLoading(true);
    const id = setTimeout(() => {
      api
        .search(text, undefined, 8)
        .then((r) => {
          if (!cancelled) {
            setResults(r);
            setError(null);
          }
        })
        .catch((e: unknown) => {
          if (!cancelled) setError(actionError(e, 'Search failed.'));
        })
        .finally(() => {
          if (!cancelled) setLoading(false);
        });
      history.replaceState(null, '', `/${href({ name: 'search', q: text })}`);
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(id);
    };
  }, [api, query]);

  const empty = results && results.accounts.length + results.hashtags.length + results.statuses.length === 0;
  return (
    <>
      <h1 tabIndex={-1}>Search</h1>
      <form role="search" onSubmit={(e) => {
        e.preventDefault();
      }}>
        <label for="search-input" class="visually-hidden">
          Search people, topics and posts
        </label>
        <input
          ref={input}
          id="search-input"
          type="search"
          value={query}
          placeholder="Search people, #topics and posts"
          onInput={(e) => {
            setQuery(e.currentTarget.value);
          }}
        />
      </form>
      <p class="visually-hidden" role="status" aria-live="polite">
        {loading ? 'Searching' : results ? `${results.accounts.length} people, ${results.hashtags.length} topics, ${results.statuses.length} posts` : ''}
      </p>
      {error ? <p class="notice error" role="alert">{error}</p> : null}
      {query.trim().length < 2 ? <p class="notice">Type at least two characters.</p> : null}
      {empty ? <p class="notice">Nothing found for “{query.trim()}”.</p> : null}
      {results && results.accounts.length > 0 ? (
        <section aria-labelledby="people-results">
          <h2 id="people-results">People</h2>
          <ul class="people card">
            {results.accounts.map((a) => (
              <Person key={a.id} account={a} />
            ))}
          </ul>
        </section>
      ) : null}
      {results && results.hashtags.length > 0 ? (
        <section aria-labelledby="topic-results">
          <h2 id="topic-results">Topics</h2>
          <ul class="tags-row">
            {results.hashtags.map((t) => (
              <li key={t.name}>
                <a class="badge" href={href({ name: 'tag', tag: t.name })}>
                  #{t.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {results && results.statuses.length > 0 ? (
        <section aria-labelledby="post-results">
          <h2 id="post-results">Posts</h2>
          <div class="feed">
            {results.statuses.map((s) => (
              <StatusItem key={s.id} status={s} />
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}
