import { describe, expect, it } from 'vitest';
import type { Ticket } from './api/types';
import { matchesFilter, moveCursor, shortcutFor, upsertTicket } from './triage';

const t = (id: string, over: Partial<Ticket> = {}) => ({ id, state: 'open', category: 'other', priority: 'normal', assignee_id: null, ...over }) as Ticket;

describe('triage shortcuts', () => {
  it('maps j/k/a/r/? and ignores keys typed into fields', () => {
    expect(shortcutFor('j', false)).toBe('next');
    expect(shortcutFor('k', false)).toBe('previous');
    expect(shortcutFor('a', false)).toBe('assign');
    expect(shortcutFor('r', false)).toBe('resolve');
    expect(shortcutFor('?', false)).toBe('help');
    expect(shortcutFor('q', false)).toBeNull();
    expect(shortcutFor('j', true)).toBeNull();
    expect(shortcutFor('Escape', true)).toBe('close');
  });

  it('keeps the cursor within the list', () => {
    expect(moveCursor(0, 3, 'previous')).toBe(0);
    expect(moveCursor(2, 3, 'next')).toBe(2);
    expect(moveCursor(1, 3, 'next')).toBe(2);
    expect(moveCursor(5, 0, 'next')).toBe(0);
  });
});

describe('live tickets', () => {
  it('filters arrivals like the server would', () => {
    expect(matchesFilter(t('1'), { state: 'open,in_progress' }, '9')).toBe(true);
    expect(matchesFilter(t('1', { state: 'resolved' }), { state: 'open,in_progress' }, '9')).toBe(false);
    expect(matchesFilter(t('1', { assignee_id: '9' }), { assignee_id: 'me' }, '9')).toBe(true);
    expect(matchesFilter(t('1', { assignee_id: '9' }), { assignee_id: 'none' }, '9')).toBe(false);
    expect(matchesFilter(t('1', { category: 'network' }), { category: 'access' }, '9')).toBe(false);
  });

  it('appends new tickets, updates known ones in place and drops those leaving the filter', () => {
    const list = [t('1'), t('2')];
    expect(upsertTicket(list, t('3'), true).map((x) => x.id)).toEqual(['1', '2', '3']);
    expect(upsertTicket(list, t('1', { priority: 'high' }), true)[0]?.priority).toBe('high');
    expect(upsertTicket(list, t('2', { state: 'resolved' }), false).map((x) => x.id)).toEqual(['1']);
    expect(upsertTicket(list, t('4'), false)).toBe(list);
  });
});
