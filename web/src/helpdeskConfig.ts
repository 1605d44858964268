/** The help-desk configuration form (tags, categories, calendar) and the merge patch it sends. */

import type { HelpdeskSettings } from './api/types';
import { CATEGORIES } from './triage';

/** Working days as the server names them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** One "tag means category" row. */
export interface CategoryTag {
  tag: string;
  category: string;
}

/** The form's values, as typed. */
export interface ConfigForm {
  /** Help-desk tags, separated by commas or spaces. */
  helpdeskTags: string;
  categoryTags: CategoryTag[];
  /** Baseline minutes per category, as typed. */
  minutes: Record<string, string>;
  timeZone: string;
  workingDays: string[];
  dayStart: string;
  dayEnd: string;
  /** Holidays, one `YYYY-MM-DD` per line (or separated by commas). */
  holidays: string;
}

/** The calendar as the settings carry it. */
interface Calendar {
  time_zone: string;
  working_days: string[];
  day_start: string;
  day_end: string;
  holidays: string[];
}

function calendarOf(settings: HelpdeskSettings): Calendar {
  const raw = (settings.calendar ?? {}) as Partial<Calendar>;
  return {
    time_zone: raw.time_zone ?? 'UTC',
    working_days: raw.working_days ?? [],
    day_start: raw.day_start ?? '09:00',
    day_end: raw.day_end ?? '17:00',
    holidays: raw.holidays ?? [],
  };
}

/** The form for the settings in force. */
export function formFromSettings(settings: HelpdeskSettings): ConfigForm {
  const calendar = calendarOf(settings);
  const tags = (settings.helpdesk_tags ?? []) as string[];
  const categoryTags = Object.entries((settings.category_tags ?? {}) as Record<string, string>)
    .map(([tag, category]) => ({ tag, category }))
    .sort((a, b) => a.category.localeCompare(b.category) || a.tag.localeCompare(b.tag));
  const minutes: Record<string, string> = {};
  for (const c of CATEGORIES) minutes[c] = String(settings.aht_minutes[c] ?? '');
  return {
    helpdeskTags: tags.join(', '),
    categoryTags,
    minutes,
    timeZone: calendar.time_zone,
    workingDays: calendar.working_days,
    dayStart: calendar.day_start,
    dayEnd: calendar.day_end,
    holidays: calendar.holidays.join('\n'),
  };
}

function words(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);
}

/** The merge patch for `form` against the settings in force, or the fields to fix first (named as the server names them). */
export function configPatch(form: ConfigForm, current: HelpdeskSettings): { patch: Record<string, unknown> } | { errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const minutes: Record<string, number> = {};
  for (const c of CATEGORIES) {
    const raw = (form.minutes[c] ?? '').trim();
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) errors[`aht_minutes.${c}`] = ['must be a number'];
    else minutes[c] = value;
  }
  const holidays = words(form.holidays);
  const badDay = holidays.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d));
  if (badDay) errors['calendar.holidays'] = [`'${badDay}' is not a date (YYYY-MM-DD)`];
  if (Object.keys(errors).length > 0) return { errors };

  // A merge patch only removes an object's key when told to with null.
  const categoryTags: Record<string, string | null> = {};
  for (const tag of Object.keys((current.category_tags ?? {}))) categoryTags[tag] = null;
  for (const row of form.categoryTags) {
    const tag = row.tag.trim().replace(/^#/, '');
    if (tag) categoryTags[tag] = row.category;
  }
  return {
    patch: {
      helpdesk_tags: words(form.helpdeskTags),
      category_tags: categoryTags,
      aht_minutes: minutes,
      calendar: {
        time_zone: form.timeZone.trim(),
        working_days: WEEKDAYS.filter((d) => form.workingDays.includes(d)),
        day_start: form.dayStart.trim(),
        day_end: form.dayEnd.trim(),
        holidays,
      },
    },
  };
}
