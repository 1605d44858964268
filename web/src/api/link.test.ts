import { describe, expect, it } from 'vitest';
import { nextCursor, parseLinkHeader } from './link';

const ids = (n: number, from = 100) => Array.from({ length: n }, (_, i) => ({ id: String(from - i) }));

describe('parseLinkHeader', () => {
  it('reads next and prev links', () => {
    const links = parseLinkHeader(
      '<https://x.test/api/v1/timelines/home?max_id=5>; rel="next", <https://x.test/api/v1/timelines/home?min_id=9>; rel="prev"',
    );
    expect(links).toEqual({
      next: 'https://x.test/api/v1/timelines/home?max_id=5',
      prev: 'https://x.test/api/v1/timelines/home?min_id=9',
    });
  });

  it('accepts unquoted rel values and extra parameters', () => {
    expect(parseLinkHeader('</a?max_id=1>; title="x"; rel=next')).toEqual({ next: '/a?max_id=1' });
  });

  it('keeps URLs that contain commas whole', () => {
    expect(parseLinkHeader('</a?id[]=1,2>; rel="next"').next).toBe('/a?id[]=1,2');
  });

  it('returns nothing for an absent or malformed header', () => {
    expect(parseLinkHeader(null)).toEqual({});
    expect(parseLinkHeader('garbage; rel=next')).toEqual({});
  });
});

describe('nextCursor', () => {
  it('prefers the max_id of the next link', () => {
    expect(nextCursor('</t?max_id=42>; rel="next"', ids(20), 20)).toEqual({ max_id: '42' });
  });

  it('falls back to the last item’s id when there is no Link header', () => {
    expect(nextCursor(null, ids(20), 20)).toEqual({ max_id: '81' });
  });

  it('says there is nothing older after a short page', () => {
    expect(nextCursor('</t?max_id=42>; rel="next"', ids(3), 20)).toBeNull();
    expect(nextCursor(null, [], 20)).toBeNull();
  });
});
