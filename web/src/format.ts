/** Formatting helpers shared by the screens (pure, unit-tested). */

import type { Reaction, Status } from './api/types';

/** The fixed set of reactions besides "like", in the order they are shown. */
export const REACTIONS: { name: string; label: string }[] = [
  { name: 'same_here', label: 'Same here' },
  { name: 'thanks', label: 'Thanks' },
  { name: 'insightful', label: 'Insightful' },
  { name: 'celebrate', label: 'Celebrate' },
];

/** Every reaction of the fixed set with its count and whether the viewer gave it. */
export function reactionCounts(status: Status): Reaction[] {
  const given = status.hubbub?.reactions ?? [];
  return REACTIONS.map(({ name }) => given.find((r) => r.name === name) ?? { name, count: 0, me: false });
}

/** "3 h", "2 d": a short, human duration from business or calendar hours. */
export function hoursLabel(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours < 10 ? hours.toFixed(1) : Math.round(hours)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

/** A share 0..1 as a percentage, or a dash. */
export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)}%`;
}

/** A number with at most one decimal, grouped by the reader's locale. */
export function number1(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(value);
}

/** A money amount in a currency (falls back to the number and the code). */
export function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${number1(value)} ${currency}`;
  }
}

/** A `YYYY-MM-DD` date in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The period `days` long that ends today (UTC), as the reports API takes it. */
export function lastDays(days: number, now: Date = new Date()): { since: string; until: string } {
  const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const since = new Date(until.getTime() - days * 86_400_000);
  return { since: isoDate(since), until: isoDate(until) };
}

/** "how_to" -> "How to". */
export function humanize(code: string): string {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Relative age: "5 min", "3 h", "2 d" since an instant. */
export function age(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** A file name for a report download: `hubbub-helpdesk-<since>-<until>.<ext>`. */
export function exportFileName(kind: 'csv' | 'xlsx', since: string, until: string): string {
  return `hubbub-helpdesk-${since}-to-${until}.${kind}`;
}
