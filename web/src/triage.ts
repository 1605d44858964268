/** Triage queue logic: keyboard shortcuts and merging live tickets. */

import type { QueueFilter } from './api/client';
import type { Ticket } from './api/types';

/** Ticket states, categories and priorities the server knows. */
export const STATES = ['open', 'in_progress', 'waiting_on_asker', 'resolved', 'closed'];
/** Categories. */
export const CATEGORIES = ['access', 'how_to', 'hardware', 'software', 'network', 'other'];
/** Priorities. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
/** The states still needing work (the queue's default). */
export const ACTIVE_STATES = 'open,in_progress,waiting_on_asker';

/** What a key does in the queue. */
export type ShortcutAction = 'next' | 'previous' | 'assign' | 'resolve' | 'open' | 'help' | 'select' | 'close';

/** Maps a key press to an action; keys typed into a form control are not shortcuts. */
export function shortcutFor(key: string, inFormControl: boolean): ShortcutAction | null {
  if (inFormControl) return key === 'Escape' ? 'close' : null;
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'previous';
    case 'a':
      return 'assign';
    case 'r':
      return 'resolve';
    case 'o':
    case 'Enter':
      return 'open';
    case 'x':
      return 'select';
    case '?':
      return 'help';
    case 'Escape':
      return 'close';
    default:
      return null;
  }
}

/** Moves a cursor within `count` rows, staying in bounds. */
export function moveCursor(index: number, count: number, action: 'next' | 'previous'): number {
  if (count === 0) return 0;
  const next = action === 'next' ? index + 1 : index - 1;
  return Math.max(0, Math.min(count - 1, next));
}

/** Whether a ticket matches the queue's filter (for live arrivals; the server filters loads). */
export function matchesFilter(ticket: Ticket, filter: QueueFilter, me: string): boolean {
  if (filter.state && !filter.state.split(',').includes(ticket.state)) return false;
  if (filter.category && ticket.category !== filter.category) return false;
  if (filter.priority && ticket.priority !== filter.priority) return false;
  if (filter.assignee_id === 'none' && ticket.assignee_id !== null) return false;
  if (filter.assignee_id && filter.assignee_id !== 'none' && ticket.assignee_id !== (filter.assignee_id === 'me' ? me : filter.assignee_id)) return false;
  return true;
}

/** Adds a live ticket (or replaces it), keeping the server's order for known ones and new ones last (oldest first). */
export function upsertTicket(list: Ticket[], ticket: Ticket, keep: boolean): Ticket[] {
  const index = list.findIndex((t) => t.id === ticket.id);
  if (index < 0) return keep ? [...list, ticket] : list;
  if (!keep) return list.filter((t) => t.id !== ticket.id);
  const next = list.slice();
  next[index] = { ...list[index], ...ticket };
  return next;
}
