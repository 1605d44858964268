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
  /** Hubbub's directory fields. */
  hubbub?: HubbubProfile;
}

/** Directory fields of a profile (Hubbub extension). */
export interface HubbubProfile {
  department: string | null;
  job_title: string | null;
  location: string | null;
  manager_id: string | null;
}

/** The signed-in account: the profile plus its instance role. */
export interface CredentialAccount extends Account {
  /** `member`, `support`, `manager` or `admin`. */
  role?: { name: string };
  source?: { note: string };
}

/** A reaction count on a post (Hubbub extension). */
export interface Reaction {
  name: string;
  count: number;
  me: boolean;
}

/** Hubbub's extension object on a Status (CONTRACT.md). */
export interface StatusExtension {
  community_id: string | null;
  deleted?: boolean;
  question?: { answered: boolean; accepted_answer_id: string | null } | null;
  accepted_answer?: boolean;
  thread_id?: string;
  thread_followed?: boolean;
  reactions?: Reaction[];
}

/** An image attached to a post. */
export interface MediaAttachment {
  id: string;
  type: string;
  url: string;
  preview_url: string;
  description: string | null;
}

/** A mention in a post. */
export interface Mention {
  id: string;
  username: string;
  acct: string;
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
  favourited?: boolean;
  bookmarked?: boolean;
  edited_at?: string | null;
  spoiler_text?: string;
  media_attachments?: MediaAttachment[];
  mentions?: Mention[];
  tags?: { name: string }[];
  hubbub?: StatusExtension | null;
}

/** An earlier version of an edited post. */
export interface StatusEdit {
  content: string;
  created_at: string;
  account: Account;
}

/** A thread around a post. */
export interface Context {
  ancestors: Status[];
  descendants: Status[];
}

/** A community (Hubbub extension). */
export interface Community {
  id: string;
  name: string;
  description: string;
  description_html: string;
  private: boolean;
  helpdesk: boolean;
  created_at: string;
  url: string;
  membership: { role: 'member' | 'admin'; state: 'active' | 'pending' } | null;
}

/** A member of a community. */
export interface CommunityMember {
  account: Account;
  role: 'member' | 'admin';
  since: string;
}

/** A topic (Mastodon's Tag). */
export interface Tag {
  name: string;
  url: string;
  following?: boolean;
}

/** A notification. */
export interface Notification {
  id: string;
  type: string;
  created_at: string;
  account: Account;
  status?: Status | null;
  hubbub_reaction?: string;
}

/** Results of `GET /api/v2/search`. */
export interface SearchResults {
  accounts: Account[];
  statuses: Status[];
  hashtags: Tag[];
}

/** A department of the directory. */
export interface Department {
  name: string;
  accounts_count: number;
}

/** Email preferences. */
export interface EmailPreferences {
  email: string;
  notifications: Record<string, boolean>;
  digest: { enabled: boolean; day: string; time: string; time_zone: string; next_at?: string };
}

/** A help-desk ticket as the triage queue lists it. */
export interface Ticket {
  id: string;
  status_id: string;
  asker_id: string;
  source: string;
  category: string;
  priority: string;
  state: string;
  assignee_id: string | null;
  duplicate_of_id: string | null;
  escalation_ref: string | null;
  answer_id: string | null;
  created_at: string;
  first_response_at: string | null;
  first_peer_response_at: string | null;
  first_support_response_at: string | null;
  resolved_at: string | null;
  updated_at: string;
  business_hours_waiting?: number;
  business_hours_without_support?: number;
  /** In the queue: the starter post (null if the viewer may not see it or it was deleted). */
  post?: TicketPost | null;
  events?: TicketEvent[];
}

/** A ticket's starter post as the triage queue carries it. */
export interface TicketPost {
  excerpt: string;
  truncated: boolean;
  created_at: string;
  author: { id: string; acct: string; display_name: string } | null;
}

/** One entry of a ticket's log. */
export interface TicketEvent {
  id: string;
  kind: string;
  at: string;
  actor_id: string | null;
  minutes: number | null;
  value: string | null;
}

/** The help-desk settings in force. */
export interface SettingsVersion {
  version: number;
  created_by: string | null;
  created_at: string | null;
  settings: HelpdeskSettings;
  formula: string;
}

/** A saved settings version in the history, with the account that saved it (`null` for the defaults). */
export interface SettingsHistoryEntry extends SettingsVersion {
  account: Account | null;
}

/** The assumptions and targets of the time-saved model. */
export interface HelpdeskSettings {
  aht_minutes: Record<string, number>;
  probability: Record<string, number>;
  cost_per_hour: number;
  currency: string;
  m_reply: number;
  m_triage: number;
  w_conf: number;
  w_view: number;
  reuse_window_days: number;
  reopen_window_days: number;
  unanswered_after_business_hours: number;
  targets: {
    hours_saved_per_month: number | null;
    median_first_response_business_hours: number | null;
    peer_resolved_share: number | null;
  };
  [key: string]: unknown;
}

/** Median and 90th percentile of a duration. */
export interface Spread {
  count: number;
  median: number | null;
  p90: number | null;
}

/** Savings under one set of weights. */
export interface Savings {
  direct_minutes: number;
  reuse_minutes: number;
  hours_saved: number;
  cost_saved: number;
}

/** The figures of a period. */
export interface Summary {
  tickets: number;
  resolved: number;
  peer_resolved: number;
  peer_resolved_share: number | null;
  first_response_business_hours: Spread;
  resolution_business_hours: Spread;
  support_minutes: number;
  reuse: number;
  conservative: Savings;
  expected: Savings;
}

/** A period as the reports API writes it. */
export interface Period {
  since: string;
  until: string;
}

/** Progress against one target. */
export interface TargetProgress {
  name: string;
  target: number;
  actual: number | null;
  previous: number | null;
  met: boolean | null;
  trend: string;
}

/** `GET /api/v1/reports/helpdesk`. */
export interface HelpdeskReport {
  period: Period;
  settings_version: number;
  formula: string;
  caveats: string[] | string;
  assumptions: HelpdeskSettings;
  summary: Summary;
  previous_period: { period: Period; summary: Summary };
  targets: TargetProgress[];
  group: 'week' | 'month';
  by_period: { period: Period; summary: Summary }[];
  by_category: Record<string, Summary>;
  privacy: { counts_only_tickets: number; note: string };
  engagement: {
    active_people: number;
    posts: number;
    replies: number;
    new_accounts: number;
    communities: number;
    top_topics: { name: string; posts: number }[];
  };
}

/** An account as administrators see it. */
export interface AdminAccount {
  id: string;
  username: string;
  email: string;
  created_at: string;
  role: { name: string };
  disabled: boolean;
  suspended: boolean;
  account: Account;
}

/** An account an admin created or reset, with the password the server generated (shown once). */
export interface AccountWithPassword {
  account: AdminAccount;
  password?: string;
}

/** What an org-directory import changed. */
export interface ImportSummary {
  created: number;
  updated: number;
}

/** An abuse report as moderators see it. */
export interface AdminReport {
  id: string;
  action_taken: boolean;
  category: string;
  comment: string;
  created_at: string;
  account: AdminAccount | null;
  target_account: AdminAccount | null;
  statuses: Status[];
}

/** One entry of the moderation audit log. */
export interface AuditEntry {
  id: string;
  action: string;
  account: Account | null;
  target_account_id: string | null;
  target_status_id: string | null;
  report_id: string | null;
  reason: string;
  created_at: string;
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
