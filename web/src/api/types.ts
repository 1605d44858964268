/** Mastodon-shaped entities, as served by `hubbub serve`. Only the fields the client uses. */

/** A person's public profile. */
export interface Account {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  note: string;
  avatar: string;
  created_at: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  url: string;
}

/** A post. `content` is HTML sanitised by the server; every other string is plain text. */
export interface Status {
  id: string;
  created_at: string;
  content: string;
  text?: string | null;
  account: Account;
  in_reply_to_id: string | null;
  replies_count: number;
  favourites_count: number;
  url: string | null;
}

/** How the signed-in user relates to another account. */
export interface Relationship {
  id: string;
  following: boolean;
  followed_by: boolean;
}

/** The part of `GET /api/v2/instance` the client reads. */
export interface Instance {
  title?: string;
  version?: string;
  configuration?: {
    urls?: { streaming?: string };
    statuses?: { max_characters?: number };
  };
}

/** An OAuth application registered by this browser. */
export interface AppCredentials {
  client_id: string;
  client_secret: string;
}

/** An OAuth token response. */
export interface Token {
  access_token: string;
  token_type?: string;
  scope?: string;
  created_at?: number;
}

/** Cursor for the next, older page of a timeline. */
export interface PageCursor {
  max_id: string;
}

/** One page of a timeline: the items, newest first, and the cursor for older ones (if any). */
export interface Page<T> {
  items: T[];
  next: PageCursor | null;
}
