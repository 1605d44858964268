/** Grouping of notifications: reactions and likes on the same post become one row. */

import type { Account, Notification } from './api/types';

/** A row of the notifications screen. */
export interface NotificationGroup {
  /** The newest notification's id (the row's key). */
  id: string;
  type: string;
  notifications: Notification[];
  accounts: Account[];
  /** Reaction names in the group (`favourite` for likes). */
  reactions: string[];
}

const REACTION_TYPES = new Set(['favourite', 'hubbub.reaction']);

/**
 * Groups a newest-first list: every like or reaction on one post joins the first row
 * for that post; everything else stays a row of its own.
 */
export function groupNotifications(list: Notification[]): NotificationGroup[] {
  const groups: NotificationGroup[] = [];
  const byStatus = new Map<string, NotificationGroup>();
  for (const n of list) {
    const statusId = n.status?.id;
    if (REACTION_TYPES.has(n.type) && statusId) {
      const reaction = n.type === 'favourite' ? 'favourite' : (n.hubbub_reaction ?? 'reaction');
      const existing = byStatus.get(statusId);
      if (existing) {
        existing.notifications.push(n);
        if (!existing.accounts.some((a) => a.id === n.account.id)) existing.accounts.push(n.account);
        if (!existing.reactions.includes(reaction)) existing.reactions.push(reaction);
        continue;
      }
      const group: NotificationGroup = { id: n.id, type: 'reaction', notifications: [n], accounts: [n.account], reactions: [reaction] };
      byStatus.set(statusId, group);
      groups.push(group);
    } else {
      groups.push({ id: n.id, type: n.type, notifications: [n], accounts: [n.account], reactions: [] });
    }
  }
  return groups;
}

/** "Alice", "Alice and Bob", "Alice and 3 others". */
export function namesLabel(names: string[]): string {
  const [first, second] = names;
  if (first === undefined) return 'Someone';
  if (names.length === 1) return first;
  if (names.length === 2 && second !== undefined) return `${first} and ${second}`;
  return `${first} and ${names.length - 1} others`;
}
