import { describe, expect, it } from 'vitest';
import type { HelpdeskSettings } from './api/types';
import { describeChange, settingsDiff } from './settingsDiff';

const before = {
  helpdesk_tags: ['helpdesk'],
  category_tags: { vpn: 'network', printer: 'hardware' },
  aht_minutes: { hardware: 20, software: 15 },
  probability: { hardware: 0.5 },
  cost_per_hour: 50,
  calendar: { time_zone: 'UTC', working_days: ['mon', 'tue'], holidays: [] },
  targets: { hours_saved_per_month: null, peer_resolved_share: 0.3 },
} as unknown as HelpdeskSettings;

function changed(after: Record<string, unknown>): string[] {
  return settingsDiff(before, { ...before, ...after }).map(describeChange);
}

describe('the difference between two settings versions', () => {
  it('names a changed number with its old and new value', () => {
    expect(changed({ aht_minutes: { hardware: 20, software: 20 } })).toEqual(['Minutes per ticket, Software: 15 → 20']);
    expect(changed({ cost_per_hour: 62.5 })).toEqual(['Cost per support hour: 50 → 62.5']);
  });

  it('shows a target being set and cleared', () => {
    expect(changed({ targets: { hours_saved_per_month: 40, peer_resolved_share: null } })).toEqual([
      'Target: hours saved per month: none → 40',
      'Target: share resolved by peers: 0.3 → none',
    ]);
  });

  it('shows tags added, removed and moved between categories', () => {
    expect(changed({ category_tags: { vpn: 'access', wifi: 'network' } })).toEqual([
      'Category of tag #vpn: Network → Access',
      'Category of tag #wifi: none → Network',
      'Category of tag #printer: Hardware → none',
    ]);
    expect(changed({ helpdesk_tags: ['helpdesk', 'it'] })).toEqual(['Help-desk tags: helpdesk → helpdesk, it']);
  });

  it('compares lists as a whole and nested calendar fields by name', () => {
    expect(changed({ calendar: { time_zone: 'Europe/Paris', working_days: ['mon', 'tue'], holidays: ['2026-12-25'] } })).toEqual([
      'Time zone: UTC → Europe/Paris',
      'Holidays: none → 2026-12-25',
    ]);
  });

  it('reports nothing for an identical save, and nothing without a previous version', () => {
    expect(changed({})).toEqual([]);
    expect(settingsDiff(null, before)).toEqual([]);
  });

  it('treats numbers that print the same as unchanged, and a new unknown field by its name', () => {
    expect(changed({ aht_minutes: { hardware: 20.0, software: 15 } })).toEqual([]);
    expect(changed({ new_knob: 3 })).toEqual(['New knob: none → 3']);
  });
});
