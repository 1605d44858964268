/** What changed between two versions of the help-desk settings, field by field, in words. */

import type { HelpdeskSettings } from './api/types';
import { humanize } from './format';

/** One changed field: its label and its value before and after, as text. */
export interface SettingChange {
  /** The field's path in the settings (`aht_minutes.hardware`). */
  path: string;
  label: string;
  from: string;
  to: string;
}

const LABELS: Record<string, string> = {
  helpdesk_tags: 'Help-desk tags',
  cost_per_hour: 'Cost per support hour',
  currency: 'Currency',
  m_reply: 'Minutes per support reply',
  m_triage: 'Minutes of triage per ticket',
  w_conf: 'Weight of a confirmed reuse',
  w_view: 'Weight of a view',
  v_cap: 'Most views counted per ticket',
  reuse_window_days: 'Reuse counts for (days)',
  reopen_window_days: 'Reopen window (days)',
  unanswered_after_business_hours: 'Unanswered after (business hours)',
  'calendar.time_zone': 'Time zone',
  'calendar.working_days': 'Working days',
  'calendar.day_start': 'Day starts',
  'calendar.day_end': 'Day ends',
  'calendar.holidays': 'Holidays',
  'targets.hours_saved_per_month': 'Target: hours saved per month',
  'targets.median_first_response_business_hours': 'Target: median first response (business hours)',
  'targets.peer_resolved_share': 'Target: share resolved by peers',
};

/** Maps keyed by category or tag, and how their entries are named. */
const MAPS: Record<string, (key: string) => string> = {
  aht_minutes: (c) => `Minutes per ticket, ${humanize(c)}`,
  probability: (c) => `Would have been a ticket, ${humanize(c)}`,
  category_tags: (tag) => `Category of tag #${tag}`,
};

/** A human label for a settings path. */
export function settingLabel(path: string): string {
  const known = LABELS[path];
  if (known) return known;
  const dot = path.indexOf('.');
  const map = dot > 0 ? MAPS[path.slice(0, dot)] : undefined;
  return map ? map(path.slice(dot + 1)) : humanize(path.replace(/\./g, ' '));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaves of a settings document by dotted path; arrays are leaves. */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, value);
  }
  return into;
}

/** A value as the screen shows it: "none" for nothing, lists joined with commas, categories by name. */
function show(path: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(String).join(', ');
  if (path.startsWith('category_tags.') && typeof value === 'string') return humanize(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields that differ from `before` to `after`, in the order `after` lists them
 * (then the ones `after` dropped). `before` is `null` for the first version ever:
 * then nothing is reported as changed.
 */
export function settingsDiff(before: HelpdeskSettings | null, after: HelpdeskSettings): SettingChange[] {
  if (!before) return [];
  const old = flatten(before, '', new Map());
  const now = flatten(after, '', new Map());
  const paths = [...now.keys(), ...[...old.keys()].filter((p) => !now.has(p))];
  return paths
    .filter((path) => !same(old.get(path), now.get(path)))
    .map((path) => ({ path, label: settingLabel(path), from: show(path, old.get(path)), to: show(path, now.get(path)) }));
}

/** One change as a sentence: "Minutes per ticket, Hardware: 15 → 20". */
export function describeChange(change: SettingChange): string {
  return `${change.label}: ${change.from} → ${change.to}`;
}
