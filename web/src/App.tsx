import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { ApiError } from './api/errors';
import { StreamConnection, streamingUrl, type StreamState } from './api/stream';
import type { Account, Instance, PageCursor } from './api/types';
import { AppContext, type AppState, type FeedEvent, useApp } from './context';
import { AuthScreen } from './components/AuthScreen';
import { Composer } from './components/Composer';
import { Profile } from './components/Profile';
import { Timeline } from './components/Timeline';
import { href, useRoute, type Route } from './router';
import { signOut, storedToken, storeToken } from './session';

const acceptAll = () => true;

function Home() {
  const { api } = useApp();
  const load = useCallback((cursor: PageCursor | null) => api.homeTimeline(cursor), [api]);
  return (
    <>
      <h1 tabIndex={-1}>Home</h1>
      <Composer />
      <Timeline label="Home timeline" load={load} accepts={acceptAll} empty="Nothing here yet. Follow people from the All company feed, or write the first post." />
    </>
  );
}

function PublicFeed() {
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

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'public':
      return <PublicFeed />;
    case 'account':
      return <Profile key={`id:${route.id}`} id={route.id} />;
    case 'lookup':
      return <Profile key={`u:${route.username}`} username={route.username} />;
  }
}

function StreamNotice({ state }: { state: StreamState }) {
  return (
    <p class={`stream-state stream-${state}`} role="status" data-state={state}>
      {state === 'reconnecting' ? 'Reconnecting…' : state === 'connecting' ? 'Connecting…' : state === 'live' ? <span class="visually-hidden">Live updates on</span> : ''}
    </p>
  );
}

function Shell({ api, me, instance, onSignOut, sessionEnded }: { api: ApiClient; me: Account; instance: Instance | null; onSignOut: () => void; sessionEnded: () => void }) {
  const route = useRoute();
  const listeners = useRef(new Set<(event: FeedEvent) => void>());
  const [streamState, setStreamState] = useState<StreamState>('connecting');

  const emit = useCallback((event: FeedEvent) => {
    for (const listener of listeners.current) listener(event);
  }, []);
  const subscribe = useCallback((listener: (event: FeedEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const token = api.accessToken;
  const streamBase = instance?.configuration?.urls?.streaming;
  useEffect(() => {
    if (!token) return;
    const connection = new StreamConnection({
      url: streamingUrl(streamBase, 'user', location.href),
      token,
      onEvent: emit,
      onState: setStreamState,
      onReconnected: () => {
        emit({ kind: 'resync' });
      },
    });
    connection.start();
    return () => {
      connection.stop();
    };
  }, [token, streamBase, emit]);

  // Move focus to the new screen's heading, so keyboard and screen-reader users land there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = setTimeout(() => document.querySelector<HTMLElement>('main h1')?.focus(), 0);
    return () => {
      clearTimeout(id);
    };
  }, [route]);

  const state: AppState = useMemo(
    () => ({ api, me, instance, streamState, emit, subscribe, sessionEnded }),
    [api, me, instance, streamState, emit, subscribe, sessionEnded],
  );
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);
  const onOwnProfile = route.name === 'account' && route.id === me.id;

  return (
    <AppContext.Provider value={state}>
      <a class="skip" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href({ name: 'home' })}>
          Hubbub
        </a>
        <nav aria-label="Main">
          <a href={href({ name: 'home' })} aria-current={current('home')}>
            Home
          </a>
          <a href={href({ name: 'public' })} aria-current={current('public')}>
            All company
          </a>
          <a href={href({ name: 'account', id: me.id })} aria-current={onOwnProfile ? 'page' : undefined}>
            My profile
          </a>
        </nav>
        <button type="button" class="secondary small" onClick={onSignOut}>
          Log out<span class="visually-hidden"> @{me.acct}</span>
        </button>
      </header>
      <StreamNotice state={streamState} />
      <main id="main" tabIndex={-1}>
        <Screen route={route} />
      </main>
    </AppContext.Provider>
  );
}

/** The whole client: the sign-in screen, or the signed-in shell. */
export function App() {
  const api = useMemo(() => new ApiClient({ token: storedToken() }), []);
  const [token, setToken] = useState<string | null>(api.accessToken);
  const [me, setMe] = useState<Account | null>(null);
  const [instance, setInstance] = useState<Instance | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .instance()
      .then(setInstance)
      .catch(() => {
        // Defaults (same-host streaming, 5,000 characters) serve until the server answers.
      });
  }, [api]);

  const sessionEnded = useCallback(() => {
    storeToken(null);
    api.setToken(null);
    setMe(null);
    setToken(null);
  }, [api]);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    setError(null);
    api
      .verifyCredentials()
      .then((account) => {
        if (!cancelled) setMe(account);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        else setError(e instanceof ApiError ? e.message : 'Could not load your account.');
      });
    return () => {
      cancelled = true;
    };
  }, [api, token, sessionEnded]);

  const onSignedIn = useCallback(
    (newToken: string) => {
      api.setToken(newToken);
      setToken(newToken);
    },
    [api],
  );

  const onSignOut = useCallback(() => {
    void signOut(api).finally(() => {
      setMe(null);
      setToken(null);
      location.hash = '';
    });
  }, [api]);

  if (!token) return <AuthScreen api={api} onSignedIn={onSignedIn} />;
  if (!me) {
    return (
      <main id="main" class="auth">
        {error ? (
          <p class="notice error" role="alert">
            {error}{' '}
            <button type="button" class="link-button" onClick={sessionEnded}>
              Sign in again
            </button>
          </p>
        ) : (
          <p class="notice" role="status">
            Loading…
          </p>
        )}
      </main>
    );
  }
  return <Shell api={api} me={me} instance={instance} onSignOut={onSignOut} sessionEnded={sessionEnded} />;
}
