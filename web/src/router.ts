/** Hash routes: `#/home`, `#/public`, `#/accounts/:id`, `#/@username`. */

import { useEffect, useState } from 'preact/hooks';

/** A screen of the signed-in app. */
export type Route =
  | { name: 'home' }
  | { name: 'public' }
  | { name: 'account'; id: string }
  | { name: 'lookup'; username: string };

/** Reads a route from a hash or a path such as `/accounts/12` or `/@alice`. */
export function parseRoute(location: string): Route {
  const path = location.replace(/^#/, '').replace(/[?#].*$/, '');
  const account = /^\/accounts\/([^/]+)\/?$/.exec(path);
  if (account?.[1]) return { name: 'account', id: decodeURIComponent(account[1]) };
  const at = /^\/@([^/]+)\/?$/.exec(path);
  if (at?.[1]) return { name: 'lookup', username: decodeURIComponent(at[1]) };
  if (path === '/public') return { name: 'public' };
  return { name: 'home' };
}

/** The hash link for a route. */
export function href(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/home';
    case 'public':
      return '#/public';
    case 'account':
      return `#/accounts/${encodeURIComponent(route.id)}`;
    case 'lookup':
      return `#/@${encodeURIComponent(route.username)}`;
  }
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
