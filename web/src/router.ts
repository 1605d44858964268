/** Hash routes: `#/home`, `#/public`, `#/accounts/:id`, `#/@username`, `#/communities/:id`, `#/tags/:name`, ... */

import { useEffect, useState } from 'preact/hooks';

/** A screen of the signed-in app. */
export type Route =
  | { name: 'home' }
  | { name: 'public' }
  | { name: 'account'; id: string }
  | { name: 'lookup'; username: string }
  | { name: 'communities' }
  | { name: 'community'; id: string }
  | { name: 'tag'; tag: string }
  | { name: 'status'; id: string }
  | { name: 'threads' }
  | { name: 'bookmarks' }
  | { name: 'notifications' }
  | { name: 'directory'; department: string | null }
  | { name: 'search'; q: string }
  | { name: 'profile-edit' }
  | { name: 'settings' }
  | { name: 'triage' }
  | { name: 'reports' }
  | { name: 'admin'; tab: 'users' | 'reports' | 'audit' };

const SIMPLE: Record<string, Route> = {
  '/public': { name: 'public' },
  '/communities': { name: 'communities' },
  '/threads': { name: 'threads' },
  '/bookmarks': { name: 'bookmarks' },
  '/notifications': { name: 'notifications' },
  '/profile': { name: 'profile-edit' },
  '/settings': { name: 'settings' },
  '/triage': { name: 'triage' },
  '/reports': { name: 'reports' },
  '/admin': { name: 'admin', tab: 'users' },
};

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Reads a route from a hash or a path such as `/accounts/12`, `/@alice` or `/tags/vpn`. */
export function parseRoute(location: string): Route {
  const raw = location.replace(/^#/, '');
  const path = raw.replace(/[?#].*$/, '');
  const query = new URLSearchParams(/\?([^#]*)/.exec(raw)?.[1] ?? '');
  const one = (re: RegExp): string | null => {
    const m = re.exec(path);
    return m?.[1] ? decode(m[1]) : null;
  };
  const account = one(/^\/accounts\/([^/]+)\/?$/);
  if (account) return { name: 'account', id: account };
  const at = one(/^\/@([^/]+)\/?$/);
  if (at) return { name: 'lookup', username: at };
  const community = one(/^\/communities\/([^/]+)\/?$/);
  if (community) return { name: 'community', id: community };
  const tag = one(/^\/tags\/([^/]+)\/?$/);
  if (tag) return { name: 'tag', tag: tag.replace(/^#/, '') };
  const status = one(/^\/statuses\/([^/]+)\/?$/);
  if (status) return { name: 'status', id: status };
  const admin = one(/^\/admin\/(users|reports|audit)\/?$/);
  if (admin === 'users' || admin === 'reports' || admin === 'audit') return { name: 'admin', tab: admin };
  if (path === '/directory') return { name: 'directory', department: query.get('department') || null };
  if (path === '/search') return { name: 'search', q: query.get('q') ?? '' };
  return SIMPLE[path.replace(/\/$/, '')] ?? { name: 'home' };
}

/** The hash link for a route. */
export function href(route: Route): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case 'home':
      return '#/home';
    case 'public':
      return '#/public';
    case 'account':
      return `#/accounts/${e(route.id)}`;
    case 'lookup':
      return `#/@${e(route.username)}`;
    case 'communities':
      return '#/communities';
    case 'community':
      return `#/communities/${e(route.id)}`;
    case 'tag':
      return `#/tags/${e(route.tag)}`;
    case 'status':
      return `#/statuses/${e(route.id)}`;
    case 'threads':
      return '#/threads';
    case 'bookmarks':
      return '#/bookmarks';
    case 'notifications':
      return '#/notifications';
    case 'directory':
      return route.department ? `#/directory?department=${e(route.department)}` : '#/directory';
    case 'search':
      return route.q ? `#/search?q=${e(route.q)}` : '#/search';
    case 'profile-edit':
      return '#/profile';
    case 'settings':
      return '#/settings';
    case 'triage':
      return '#/triage';
    case 'reports':
      return '#/reports';
    case 'admin':
      return `#/admin/${route.tab}`;
  }
}

/** Whether the signed-in role may open a screen (the server checks again). */
export function allowed(route: Route, role: string): boolean {
  if (route.name === 'triage') return role === 'support' || role === 'admin';
  if (route.name === 'reports') return role === 'manager' || role === 'admin';
  if (route.name === 'admin') return role === 'admin';
  return true;
}

/**
 * The current route. A deep link by path (the server answers unknown paths with
 * index.html) is turned into the matching hash route once, without a reload.
 */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => {
    if (!location.hash && location.pathname !== '/') {
      const fromPath = parseRoute(location.pathname);
      history.replaceState(null, '', `/${href(fromPath)}`);
      return fromPath;
    }
    return parseRoute(location.hash);
  });
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(location.hash));
    };
    window.addEventListener('hashchange', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return route;
}
