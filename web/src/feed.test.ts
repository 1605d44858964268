import { describe, expect, it } from 'vitest';
import { chunks, compareIds, mergeNewer, mergeOlder, newPostsLabel, newestId, receive, removeItem, replaceItem, showPending, type FeedState } from './feed';

const s = (id: string, text = '') => ({ id, text });

describe('feed merging', () => {
  it('orders 64-bit ids numerically, not as text', () => {
    expect(compareIds('100', '99')).toBeGreaterThan(0);
    expect(compareIds('113000000000000001', '113000000000000002')).toBeLessThan(0);
  });

  it('merges newer items on top without duplicates', () => {
    expect(mergeNewer([s('5'), s('3')], [s('7'), s('5')]).map((x) => x.id)).toEqual(['7', '5', '3']);
  });

  it('appends an older page, skipping what the live stream already added', () => {
    expect(mergeOlder([s('9'), s('8')], [s('8'), s('7'), s('6')]).map((x) => x.id)).toEqual(['9', '8', '7', '6']);
  });

  it('replaces an edited item in place', () => {
    const list = [s('2', 'a'), s('1', 'b')];
    expect(replaceItem(list, s('1', 'edited'))).toEqual([s('2', 'a'), s('1', 'edited')]);
    expect(replaceItem(list, s('3'))).toBe(list);
  });

  it('finds the newest id for the read marker', () => {
    expect(newestId([s('9'), s('12'), s('10')])).toBe('12');
    expect(newestId([])).toBeNull();
  });
});

describe('"N new posts" buffering', () => {
  const start: FeedState<{ id: string; text: string }> = { items: [s('2'), s('1')], pending: [] };

  it('shows a live post at once when the reader is at the top', () => {
    const next = receive(start, s('3'), true);
    expect(next.items.map((x) => x.id)).toEqual(['3', '2', '1']);
    expect(next.pending).toEqual([]);
  });

  it('holds live posts back while the reader is scrolled down, so nothing moves', () => {
    let state = receive(start, s('3'), false);
    state = receive(state, s('4'), false);
    state = receive(state, s('4'), false);
    expect(state.items).toBe(start.items);
    expect(state.pending.map((x) => x.id)).toEqual(['4', '3']);
    expect(newPostsLabel(state.pending.length)).toBe('2 new posts');
    expect(newPostsLabel(1)).toBe('1 new post');
  });

  it('keeps buffering once posts are waiting, even back at the top, until the bar is used', () => {
    const waiting = receive(start, s('3'), false);
    const more = receive(waiting, s('4'), true);
    expect(more.pending.map((x) => x.id)).toEqual(['4', '3']);
    const shown = showPending(more);
    expect(shown.items.map((x) => x.id)).toEqual(['4', '3', '2', '1']);
    expect(shown.pending).toEqual([]);
  });

  it('updates a shown post in place instead of announcing it again', () => {
    const next = receive(start, s('2', 'edited'), false);
    expect(next.pending).toEqual([]);
    expect(next.items[0]).toEqual(s('2', 'edited'));
  });

  it('drops a deleted post from the feed and from the waiting list', () => {
    const waiting = receive(start, s('3'), false);
    const next = removeItem(removeItem(waiting, '3'), '1');
    expect(next.items.map((x) => x.id)).toEqual(['2']);
    expect(next.pending).toEqual([]);
  });
});

describe('cutting a long feed into chunks', () => {
  const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: String(from - i) }));
  const keysAndSizes = (list: { id: string }[]) => chunks(list).map((c) => [c.key, c.items.length] as const);

  it('keeps every item once, in order, in chunks of about twenty', () => {
    const list = ids(100_000, 3000);
    const cut = chunks(list);
    expect(cut.flatMap((c) => c.items)).toEqual(list);
    expect(cut.length).toBeGreaterThan(3000 / 40);
    expect(cut.length).toBeLessThan(3000 / 10);
  });

  it('keeps the chunks in between when a page is appended or posts arrive on top', () => {
    const list = ids(100_000, 400);
    const before = keysAndSizes(list);
    const grown = new Map(keysAndSizes([...ids(100_010, 10), ...list, ...ids(99_600, 20)]));
    // Only the first chunk (it gains the new posts) and the last (it gains the older page) may differ.
    const between = before.slice(1, -1);
    expect(between.length).toBeGreaterThan(5);
    for (const [key, size] of between) expect(grown.get(key)).toBe(size);
    expect(grown.has('first')).toBe(true);
  });

  it('gives an empty feed no chunks', () => {
    expect(chunks([])).toEqual([]);
  });
});
