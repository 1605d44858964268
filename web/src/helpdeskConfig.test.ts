import { describe, expect, it } from 'vitest';
import type { HelpdeskSettings } from './api/types';
import { configPatch, formFromSettings } from './helpdeskConfig';

const settings = {
  helpdesk_tags: ['helpdesk', 'it'],
  category_tags: { vpn: 'network', printer: 'hardware' },
  aht_minutes: { access: 10, how_to: 8, hardware: 25, software: 15, network: 20, other: 12 },
  probability: {},
  calendar: { time_zone: 'Europe/Paris', working_days: ['mon', 'tue'], day_start: '08:30', day_end: '17:00', holidays: ['2026-12-25'] },
} as unknown as HelpdeskSettings;

describe('help-desk configuration form', () => {
  it('shows the settings in force', () => {
    const form = formFromSettings(settings);
    expect(form.helpdeskTags).toBe('helpdesk, it');
    expect(form.categoryTags).toEqual([
      { tag: 'printer', category: 'hardware' },
      { tag: 'vpn', category: 'network' },
    ]);
    expect(form.minutes.hardware).toBe('25');
    expect(form.timeZone).toBe('Europe/Paris');
    expect(form.holidays).toBe('2026-12-25');
  });

  it('sends tags, minutes and the calendar, and removes a dropped tag with null', () => {
    const form = formFromSettings(settings);
    form.helpdeskTags = '#helpdesk, support';
    form.categoryTags = [{ tag: '#wifi', category: 'network' }, { tag: 'vpn', category: 'network' }];
    form.minutes.hardware = '30';
    form.workingDays = ['fri', 'mon'];
    form.holidays = '2026-12-25, 2027-01-01';
    const result = configPatch(form, settings);
    expect('patch' in result).toBe(true);
    if (!('patch' in result)) return;
    expect(result.patch.helpdesk_tags).toEqual(['#helpdesk', 'support']);
    expect(result.patch.category_tags).toEqual({ printer: null, vpn: 'network', wifi: 'network' });
    expect((result.patch.aht_minutes as Record<string, number>).hardware).toBe(30);
    expect(result.patch.calendar).toEqual({
      time_zone: 'Europe/Paris',
      working_days: ['mon', 'fri'],
      day_start: '08:30',
      day_end: '17:00',
      holidays: ['2026-12-25', '2027-01-01'],
    });
  });

  it('names the field when minutes are not a number or a holiday is not a date', () => {
    const form = formFromSettings(settings);
    form.minutes.network = 'twenty';
    form.holidays = 'Christmas';
    expect(configPatch(form, settings)).toEqual({
      errors: { 'aht_minutes.network': ['must be a number'], 'calendar.holidays': ["'Christmas' is not a date (YYYY-MM-DD)"] },
    });
  });
});
