/** Thread layout: replies in conversation order with their depth. */

import type { Status } from './api/types';
import { compareIds } from './feed';

/** A post of a thread with how deep it sits below the root. */
export interface ThreadRow {
  status: Status;
  depth: number;
}

/**
 * Orders a thread's posts as a conversation: each reply under its parent, siblings
 * oldest first. Posts whose parent is missing hang off the root.
 */
export function threadRows(posts: Status[]): ThreadRow[] {
  const byId = new Map(posts.map((s) => [s.id, s]));
  const children = new Map<string, Status[]>();
  const roots: Status[] = [];
  for (const post of posts) {
    const parent = post.in_reply_to_id;
    if (parent && byId.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(post);
      children.set(parent, list);
    } else {
      roots.push(post);
    }
  }
  const rows: ThreadRow[] = [];
  const seen = new Set<string>();
  const walk = (post: Status, depth: number) => {
    if (seen.has(post.id)) return;
    seen.add(post.id);
    rows.push({ status: post, depth });
    const kids = (children.get(post.id) ?? []).sort((a, b) => compareIds(a.id, b.id));
    for (const kid of kids) walk(kid, Math.min(depth + 1, 6));
  };
  for (const root of roots.sort((a, b) => compareIds(a.id, b.id))) walk(root, 0);
  return rows;
}

/** Adds or replaces a post in a thread's list. */
export function upsert(posts: Status[], post: Status): Status[] {
  const index = posts.findIndex((s) => s.id === post.id);
  if (index < 0) return [...posts, post];
  const next = posts.slice();
  next[index] = post;
  return next;
}
