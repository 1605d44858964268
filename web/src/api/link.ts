/** Parsing of the `Link` header Mastodon uses for timeline pagination. */

import type { PageCursor } from './types';

/** Maps each `rel` in a Link header to its URL. Malformed parts are skipped. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  // Split on commas that start a new `<url>` part; URLs may themselves contain commas.
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^\s*<([^>]*)>\s*((?:;[^;]*)*)$/.exec(part);
    if (!match) continue;
    const url = match[1] ?? '';
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1];
    if (!rel) continue;
    for (const name of rel.trim().split(/\s+/)) links[name.toLowerCase()] = url;
  }
  return links;
}

/**
 * The cursor for the next (older) page: from the Link header's `rel="next"` when present,
 * otherwise the last item's id. Null when the page was short, so there is nothing older.
 */
export function nextCursor(
  header: string | null,
  items: readonly { id: string }[],
  limit: number,
): PageCursor | null {
  if (items.length === 0 || items.length < limit) return null;
  const next = parseLinkHeader(header).next;
  if (next !== undefined) {
    const maxId = new URL(next, 'http://localhost').searchParams.get('max_id');
    if (maxId) return { max_id: maxId };
  }
  const last = items[items.length - 1];
  return last ? { max_id: last.id } : null;
}
