/** What every screen of the signed-in app shares. */

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/client';
import type { StreamEvent, StreamState } from './api/stream';
import type { CredentialAccount, Instance } from './api/types';

/** A timeline-changing event: from the stream, or from this user's own actions. */
export type FeedEvent = StreamEvent | { kind: 'resync' };

/** Shared state and actions of the signed-in app. */
export interface AppState {
  api: ApiClient;
  me: CredentialAccount;
  /** Replaces the signed-in account after a profile edit. */
  setMe: (account: CredentialAccount) => void;
  /** Unread notifications (the badge). */
  unread: number;
  /** Sets the unread count (0 once the notifications were read). */
  setUnread: (count: number) => void;
  instance: Instance | null;
  streamState: StreamState;
  /** Tells every mounted timeline about a change. */
  emit: (event: FeedEvent) => void;
  /** Listens for changes; returns the function that stops listening. */
  subscribe: (listener: (event: FeedEvent) => void) => () => void;
  /** Called when the server refuses the token (revoked or expired). */
  sessionEnded: () => void;
}

/** The app context; only provided once signed in. */
export const AppContext = createContext<AppState | null>(null);

/** The app state; only valid inside the signed-in shell. */
export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside the signed-in app');
  return state;
}

/** The most characters a post may have, from the instance (Hubbub's default otherwise). */
export function maxCharacters(instance: Instance | null): number {
  return instance?.configuration?.statuses?.max_characters ?? 5000;
}

/** The signed-in person's instance role (`member` when the server does not say). */
export function roleOf(me: CredentialAccount): string {
  return me.role?.name ?? 'member';
}
