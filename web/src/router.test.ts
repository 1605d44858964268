import { describe, expect, it } from 'vitest';
import { allowed, href, parseRoute, type Route } from './router';

describe('routes', () => {
  it('round-trips every screen through its link', () => {
    const routes: Route[] = [
      { name: 'home' },
      { name: 'public' },
      { name: 'account', id: '12' },
      { name: 'lookup', username: 'alice' },
      { name: 'communities' },
      { name: 'community', id: '7' },
      { name: 'tag', tag: 'vpn' },
      { name: 'status', id: '99' },
      { name: 'threads' },
      { name: 'bookmarks' },
      { name: 'notifications' },
      { name: 'directory', department: 'Finance & Ops' },
      { name: 'directory', department: null },
      { name: 'search', q: '#vpn down' },
      { name: 'profile-edit' },
      { name: 'settings' },
      { name: 'triage' },
      { name: 'reports' },
      { name: 'admin', tab: 'audit' },
    ];
    for (const route of routes) expect(parseRoute(href(route))).toEqual(route);
  });

  it('reads deep links by path and falls back to home for unknown ones', () => {
    expect(parseRoute('/tags/helpdesk')).toEqual({ name: 'tag', tag: 'helpdesk' });
    expect(parseRoute('/communities/3/')).toEqual({ name: 'community', id: '3' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'home' });
    expect(parseRoute('#/tags/%E0%A4%A')).toEqual({ name: 'tag', tag: '%E0%A4%A' });
  });

  it('shows staff screens to their roles only', () => {
    expect(allowed({ name: 'triage' }, 'member')).toBe(false);
    expect(allowed({ name: 'triage' }, 'support')).toBe(true);
    expect(allowed({ name: 'reports' }, 'support')).toBe(false);
    expect(allowed({ name: 'reports' }, 'manager')).toBe(true);
    expect(allowed({ name: 'admin', tab: 'users' }, 'manager')).toBe(false);
    expect(allowed({ name: 'home' }, 'member')).toBe(true);
  });
});
