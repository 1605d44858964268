import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { ApiError } from './api/errors';
import { StreamConnection, streamingUrl, type StreamState } from './api/stream';
import type { JSX } from 'preact';
import type { CredentialAccount, Instance } from './api/types';
import { AppContext, roleOf, type AppState, type FeedEvent } from './context';
import { AuthScreen } from './components/AuthScreen';
import { Profile } from './components/Profile';
import { allowed, href, useRoute, type Route } from './router';
import { Admin } from './screens/Admin';
import { ProfileEdit, Settings } from './screens/Account';
import { CommunitiesList, CommunityPage } from './screens/Communities';
import { Bookmarks, Home, PublicFeed, TagPage, ThreadsFeed } from './screens/Feeds';
import { Notifications } from './screens/Notifications';
import { Directory, Search } from './screens/People';
import { ThreadView } from './screens/Thread';
import { Triage } from './screens/Triage';
import { signOut, storedToken, storeToken } from './session';

function LazyReports() {
  const [Screen, setScreen] = useState<(() => JSX.Element) | null>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    // The reports page (and its charts) is a separate chunk, loaded only here.
    import('./screens/Reports')
      .then((m) => {
        setScreen(() => m.Reports);
      })
      .catch(() => {
        setError(true);
      });
  }, []);
  if (error) return <p class="notice error" role="alert">Could not load the reports page. Reload to try again.</p>;
  return Screen ? <Screen /> : <p class="notice" role="status">Loading…</p>;
}

function Screen({ route, role }: { route: Route; role: string }) {
  if (!allowed(route, role)) {
    return (
      <>
        <h1 tabIndex={-1}>Not available</h1>
        <p class="notice">This screen is for other roles. Your role is {role}.</p>
      </>
    );
  }
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'public':
      return <PublicFeed />;
    case 'account':
      return <Profile key={`id:${route.id}`} id={route.id} />;
    case 'lookup':
      return <Profile key={`u:${route.username}`} username={route.username} />;
    case 'communities':
      return <CommunitiesList />;
    case 'community':
      return <CommunityPage key={route.id} id={route.id} />;
    case 'tag':
      return <TagPage key={route.tag} tag={route.tag} />;
    case 'status':
      return <ThreadView key={route.id} id={route.id} />;
    case 'threads':
      return <ThreadsFeed />;
    case 'bookmarks':
      return <Bookmarks />;
    case 'notifications':
      return <Notifications />;
    case 'directory':
      return <Directory department={route.department} />;
    case 'search':
      return <Search q={route.q} />;
    case 'profile-edit':
      return <ProfileEdit />;
    case 'settings':
      return <Settings />;
    case 'triage':
      return <Triage />;
    case 'reports':
      return <LazyReports />;
    case 'admin':
      return <Admin tab={route.tab} />;
  }
}

function StreamNotice({ state }: { state: StreamState }) {
  return (
    <p class={`stream-state stream-${state}`} role="status" data-state={state}>
      {state === 'reconnecting' ? 'Reconnecting…' : state === 'connecting' ? 'Connecting…' : state === 'live' ? <span class="visually-hidden">Live updates on</span> : ''}
    </p>
  );
}

function Shell({ api, me, setMe, instance, onSignOut, sessionEnded }: { api: ApiClient; me: CredentialAccount; setMe: (a: CredentialAccount) => void; instance: Instance | null; onSignOut: () => void; sessionEnded: () => void }) {
  const route = useRoute();
  const listeners = useRef(new Set<(event: FeedEvent) => void>());
  const [streamState, setStreamState] = useState<StreamState>('connecting');
  const [unread, setUnread] = useState(0);
  const routeRef = useRef(route);
  routeRef.current = route;

  const refreshUnread = useCallback(() => {
    api
      .unreadCount()
      .then(setUnread)
      .catch(() => {
        // A server without the count shows no badge.
      });
  }, [api]);
  useEffect(refreshUnread, [refreshUnread]);

  const emit = useCallback((event: FeedEvent) => {
    if (event.kind === 'notification' && routeRef.current.name !== 'notifications') setUnread((n) => n + 1);
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
        refreshUnread();
      },
    });
    connection.start();
    return () => {
      connection.stop();
    };
  }, [token, streamBase, emit, refreshUnread]);

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
    () => ({ api, me, setMe, unread, setUnread, instance, streamState, emit, subscribe, sessionEnded }),
    [api, me, setMe, unread, instance, streamState, emit, subscribe, sessionEnded],
  );
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);
  const onOwnProfile = route.name === 'account' && route.id === me.id;
  const role = roleOf(me);
  const links: { route: Route; label: string }[] = [
    { route: { name: 'home' }, label: 'Home' },
    { route: { name: 'public' }, label: 'All company' },
    { route: { name: 'communities' }, label: 'Communities' },
    { route: { name: 'threads' }, label: 'Threads I follow' },
    { route: { name: 'bookmarks' }, label: 'Bookmarks' },
    { route: { name: 'directory', department: null }, label: 'Directory' },
  ];
  const staffLinks: { route: Route; label: string }[] = [
    { route: { name: 'triage' }, label: 'Triage queue' },
    { route: { name: 'reports' }, label: 'Reports' },
    { route: { name: 'admin', tab: 'users' }, label: 'Admin' },
  ];
  const staff = staffLinks.filter((l) => allowed(l.route, role));

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
        <a class="header-link" href={href({ name: 'search', q: '' })} aria-current={current('search')}>
          Search
        </a>
        <a class="header-link" href={href({ name: 'notifications' })} aria-current={current('notifications')}>
          Notifications
          {unread > 0 ? (
            <span class="count-badge" data-testid="unread">
              {unread > 99 ? '99+' : unread}
              <span class="visually-hidden"> unread</span>
            </span>
          ) : null}
        </a>
        <button type="button" class="secondary small" onClick={onSignOut}>
          Log out<span class="visually-hidden"> @{me.acct}</span>
        </button>
      </header>
      <div class="layout">
        <nav class="side" aria-label="Main">
          <ul>
            {links.map((l) => (
              <li key={l.label}>
                <a href={href(l.route)} aria-current={current(l.route.name)}>
                  {l.label}
                </a>
              </li>
            ))}
            <li>
              <a href={href({ name: 'account', id: me.id })} aria-current={onOwnProfile ? 'page' : undefined}>
                My profile
              </a>
            </li>
            <li>
              <a href={href({ name: 'profile-edit' })} aria-current={current('profile-edit')}>
                Edit profile
              </a>
            </li>
            <li>
              <a href={href({ name: 'settings' })} aria-current={current('settings')}>
                Settings
              </a>
            </li>
            {staff.map((l) => (
              <li key={l.label} class="staff">
                <a href={href(l.route)} aria-current={current(l.route.name)}>
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="content-col">
          <StreamNotice state={streamState} />
          <main id="main" tabIndex={-1}>
            <Screen route={route} role={role} />
          </main>
        </div>
      </div>
    </AppContext.Provider>
  );
}

/** The whole client: the sign-in screen, or the signed-in shell. */
export function App() {
  const api = useMemo(() => new ApiClient({ token: storedToken() }), []);
  const [token, setToken] = useState<string | null>(api.accessToken);
  const [me, setMe] = useState<CredentialAccount | null>(null);
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
  return <Shell api={api} me={me} setMe={setMe} instance={instance} onSignOut={onSignOut} sessionEnded={sessionEnded} />;
}
