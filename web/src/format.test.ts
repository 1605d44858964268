import { describe, expect, it } from 'vitest';
import type { Status } from './api/types';
import { age, exportFileName, hoursLabel, humanize, lastDays, percent, reactionCounts } from './format';

describe('formatting', () => {
  it('shows every reaction, filling the ones nobody gave with zero', () => {
    const status = { hubbub: { community_id: null, reactions: [{ name: 'thanks', count: 2, me: true }] } } as unknown as Status;
    expect(reactionCounts(status)).toEqual([
      { name: 'same_here', count: 0, me: false },
      { name: 'thanks', count: 2, me: true },
      { name: 'insightful', count: 0, me: false },
      { name: 'celebrate', count: 0, me: false },
    ]);
    expect(reactionCounts({} as Status).every((r) => r.count === 0)).toBe(true);
  });

  it('writes durations and shares the way a manager reads them', () => {
    expect(hoursLabel(0.5)).toBe('30 min');
    expect(hoursLabel(3.25)).toBe('3.3 h');
    expect(hoursLabel(30)).toBe('30 h');
    expect(hoursLabel(72)).toBe('3.0 d');
    expect(hoursLabel(null)).toBe('—');
    expect(percent(0.456)).toBe('46%');
    expect(percent(null)).toBe('—');
    expect(humanize('waiting_on_asker')).toBe('Waiting on asker');
  });

  it('picks the last N days ending tomorrow at midnight UTC, so today counts', () => {
    expect(lastDays(30, new Date('2026-03-15T10:00:00Z'))).toEqual({ since: '2026-02-14', until: '2026-03-16' });
  });

  it('gives ages relative to now and names export files after their period', () => {
    const now = Date.parse('2026-01-02T12:00:00Z');
    expect(age('2026-01-02T11:55:00Z', now)).toBe('5 min');
    expect(age('2026-01-02T09:00:00Z', now)).toBe('3 h');
    expect(age('2025-12-29T12:00:00Z', now)).toBe('4 d');
    expect(age('nonsense', now)).toBe('');
    expect(exportFileName('csv', '2026-01-01', '2026-02-01')).toBe('hubbub-helpdesk-2026-01-01-to-2026-02-01.csv');
  });
});

describe('settings patch', () => {
  it('turns edited fields into a merge patch, clearing blank targets', async () => {
    const { settingsPatch } = await import('./reports');
    expect(settingsPatch({ 'targets.peer_resolved_share': '0.4', 'targets.hours_saved_per_month': ' ', cost_per_hour: '55', 'aht_minutes.access': '5' })).toEqual({
      targets: { peer_resolved_share: 0.4, hours_saved_per_month: null },
      cost_per_hour: 55,
      aht_minutes: { access: 5 },
    });
  });
});
