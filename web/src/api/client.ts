/** A typed client for the Mastodon-compatible API that `hubbub serve` exposes on the same origin. */

import { ApiError, networkError, toApiError } from './errors';
import { nextCursor } from './link';
import type {
  Account,
  AccountWithPassword,
  AdminAccount,
  AdminReport,
  AppCredentials,
  AuditEntry,
  Community,
  CommunityMember,
  Context,
  CredentialAccount,
  Department,
  EmailPreferences,
  HelpdeskReport,
  ImportSummary,
  Instance,
  MediaAttachment,
  Notification,
  Page,
  PageCursor,
  Relationship,
  SearchResults,
  SettingsHistoryEntry,
  SettingsVersion,
  Status,
  StatusEdit,
  Tag,
  Ticket,
  Token,
} from './types';

/** The scopes every token of this client asks for. */
export const SCOPES = 'read write follow admin:read admin:write';
/** Posts fetched per timeline page. */
export const PAGE_SIZE = 20;

type Query = Record<string, string | string[] | undefined>;

interface RequestOptions {
  body?: unknown;
  /** A body sent as is with its own content type (a CSV file). */
  raw?: { body: Blob | string; contentType: string };
  /** A multipart body (uploads); sent as is. */
  form?: FormData;
  query?: Query;
  /** Send the signed-in user's token (default), another token, or none. */
  token?: string | null;
  /** The form field a bare 422 is about. */
  fieldHint?: string;
}

/** What a new post carries besides its text. */
export interface NewStatus {
  status: string;
  in_reply_to_id?: string | null;
  community_id?: string | null;
  hubbub_question?: boolean;
  media_ids?: string[];
}

/** Filters of the triage queue (`GET /api/v1/helpdesk/tickets`). */
export interface QueueFilter {
  state?: string;
  category?: string;
  priority?: string;
  assignee_id?: string;
  unanswered_for?: string;
  awaiting_confirmation?: boolean;
  sort?: 'age' | 'sla_risk';
}

/** A change support applies to one or many tickets. */
export interface TicketChange {
  category?: string;
  priority?: string;
  state?: string;
  assignee_id?: string;
}

/** A report period: dates as `YYYY-MM-DD`. */
export interface ReportPeriod {
  since?: string;
  until?: string;
  group?: 'week' | 'month';
}

/** Profile fields `update_credentials` changes. */
export interface ProfileUpdate {
  display_name?: string;
  note?: string;
  department?: string;
  job_title?: string;
  location?: string;
}

/** What `register` needs from the form. */
export interface Registration {
  username: string;
  email: string;
  password: string;
}

/** An account an admin creates; a password is generated when none is given. */
export interface NewAccount {
  username: string;
  email: string;
  display_name?: string;
  role?: string;
  password?: string;
}

/** Options for building a client; `fetch` is injectable for tests. */
export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  token?: string | null;
}

/** One method per API call; every method throws ApiError on failure. */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private token: string | null;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    const f = options.fetch ?? globalThis.fetch;
    // A bare `fetch` reference must keep its global receiver, or browsers throw "Illegal invocation".
    this.fetchImpl = (input, init) => f.call(globalThis, input, init);
    this.token = options.token ?? null;
  }

  /** The access token sent with authenticated calls. */
  get accessToken(): string | null {
    return this.token;
  }

  /** Replaces the access token (null after logout). */
  setToken(token: string | null): void {
    this.token = token;
  }

  private url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) params.append(key, v);
      else params.append(key, value);
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape the server answers with
  private async request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ data: T; headers: Headers }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (options.form !== undefined) {
      init.body = options.form;
    } else if (options.raw !== undefined) {
      headers['Content-Type'] = options.raw.contentType;
      init.body = options.raw.body;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }

    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), init);
    } catch {
      throw networkError();
    }

    const text = await response.text().catch(() => '');
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = null;
      }
    }
    if (!response.ok) throw toApiError(response.status, body, options.fieldHint);
    return { data: body as T, headers: response.headers };
  }

  /** Fetches a file with the bearer token (exports); the caller saves the blob. */
  async download(path: string, query: Query = {}): Promise<Blob> {
    const headers: Record<string, string> = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, query), { method: 'GET', headers });
    } catch {
      throw networkError();
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let body: unknown;
      try {
        body = text ? (JSON.parse(text) as unknown) : null;
      } catch {
        body = null;
      }
      throw toApiError(response.status, body);
    }
    return response.blob();
  }

  private async page<T extends { id: string }>(path: string, cursor?: PageCursor | null, query: Query = {}): Promise<Page<T>> {
    const { data, headers } = await this.request<T[]>('GET', path, {
      query: { ...query, limit: String(PAGE_SIZE), max_id: cursor?.max_id },
    });
    const items = Array.isArray(data) ? data : [];
    return { items, next: nextCursor(headers.get('Link'), items, PAGE_SIZE) };
  }

  /** `GET /api/v2/instance`: limits and the streaming URL. */
  async instance(): Promise<Instance> {
    return (await this.request<Instance>('GET', '/api/v2/instance', { token: null })).data;
  }

  /** `POST /api/v1/apps`: registers this browser as an OAuth app that signs in at `redirectUri`. */
  async createApp(clientName: string, redirectUri: string): Promise<AppCredentials> {
    const { data } = await this.request<AppCredentials>('POST', '/api/v1/apps', {
      token: null,
      body: { client_name: clientName, redirect_uris: redirectUri, scopes: SCOPES },
    });
    return { client_id: data.client_id, client_secret: data.client_secret };
  }

  /** `POST /oauth/token` with `client_credentials`: the app token that may register accounts. */
  async appToken(app: AppCredentials): Promise<Token> {
    return (
      await this.request<Token>('POST', '/oauth/token', {
        token: null,
        body: { grant_type: 'client_credentials', ...app, scope: SCOPES },
      })
    ).data;
  }

  /** `POST /oauth/token` with `authorization_code` and the PKCE verifier: finishes a sign-in. */
  async exchangeCode(app: AppCredentials, code: string, verifier: string, redirectUri: string): Promise<Token> {
    return (
      await this.request<Token>('POST', '/oauth/token', {
        token: null,
        body: { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, ...app, scope: SCOPES },
      })
    ).data;
  }

  /** `POST /api/v1/accounts` with an app token: creates an account and returns its token. */
  async register(appAccessToken: string, form: Registration): Promise<Token> {
    return (
      await this.request<Token>('POST', '/api/v1/accounts', {
        token: appAccessToken,
        body: { ...form, agreement: true, locale: 'en' },
      })
    ).data;
  }

  /** `POST /oauth/revoke`: ends the session on the server. */
  async revoke(app: AppCredentials, token: string): Promise<void> {
    await this.request<unknown>('POST', '/oauth/revoke', { token: null, body: { token, ...app } });
  }

  /** `GET /api/v1/accounts/verify_credentials`: the signed-in account. */
  async verifyCredentials(): Promise<CredentialAccount> {
    return (await this.request<CredentialAccount>('GET', '/api/v1/accounts/verify_credentials')).data;
  }

  /** `GET /api/v1/accounts/:id`. */
  async account(id: string): Promise<Account> {
    return (await this.request<Account>('GET', `/api/v1/accounts/${encodeURIComponent(id)}`)).data;
  }

  /** `GET /api/v1/accounts/lookup?acct=`: an account by username. */
  async lookup(acct: string): Promise<Account> {
    return (await this.request<Account>('GET', '/api/v1/accounts/lookup', { query: { acct } })).data;
  }

  /** `GET /api/v1/accounts/:id/statuses`: one page of a person's posts. */
  accountStatuses(id: string, cursor?: PageCursor | null): Promise<Page<Status>> {
    return this.page<Status>(`/api/v1/accounts/${encodeURIComponent(id)}/statuses`, cursor);
  }

  /** `GET /api/v1/accounts/relationships?id[]=`. */
  async relationships(ids: string[]): Promise<Relationship[]> {
    const { data } = await this.request<Relationship[]>('GET', '/api/v1/accounts/relationships', {
      query: { 'id[]': ids },
    });
    return Array.isArray(data) ? data : [];
  }

  /** `POST /api/v1/accounts/:id/follow`. */
  async follow(id: string): Promise<Relationship> {
    return (await this.request<Relationship>('POST', `/api/v1/accounts/${encodeURIComponent(id)}/follow`)).data;
  }

  /** `POST /api/v1/accounts/:id/unfollow`. */
  async unfollow(id: string): Promise<Relationship> {
    return (await this.request<Relationship>('POST', `/api/v1/accounts/${encodeURIComponent(id)}/unfollow`)).data;
  }

  /** `POST /api/v1/statuses`: a 422 is reported on the `status` field unless the server names another. */
  async postStatus(input: string | NewStatus): Promise<Status> {
    const form: NewStatus = typeof input === 'string' ? { status: input } : input;
    const body: Record<string, unknown> = { status: form.status };
    if (form.in_reply_to_id) body.in_reply_to_id = form.in_reply_to_id;
    if (form.community_id) body.community_id = form.community_id;
    if (form.hubbub_question) body.hubbub_question = true;
    if (form.media_ids && form.media_ids.length > 0) body.media_ids = form.media_ids;
    return (await this.request<Status>('POST', '/api/v1/statuses', { body, fieldHint: 'status' })).data;
  }

  /** `GET /api/v1/statuses/:id`. */
  async status(id: string): Promise<Status> {
    return (await this.request<Status>('GET', `/api/v1/statuses/${enc(id)}`)).data;
  }

  /** `GET /api/v1/statuses/:id/context`: the thread around a post. */
  async context(id: string): Promise<Context> {
    const { data } = await this.request<Context>('GET', `/api/v1/statuses/${enc(id)}/context`);
    return { ancestors: Array.isArray(data.ancestors) ? data.ancestors : [], descendants: Array.isArray(data.descendants) ? data.descendants : [] };
  }

  /** `PUT /api/v1/statuses/:id`: edits a post (author only). */
  async editStatus(id: string, status: string): Promise<Status> {
    return (await this.request<Status>('PUT', `/api/v1/statuses/${enc(id)}`, { body: { status }, fieldHint: 'status' })).data;
  }

  /** `GET /api/v1/statuses/:id/history`: the versions of an edited post. */
  async statusHistory(id: string): Promise<StatusEdit[]> {
    return list((await this.request<StatusEdit[]>('GET', `/api/v1/statuses/${enc(id)}/history`)).data);
  }

  /** `POST /api/v1/statuses/:id/<action>` for favourite, bookmark, thread following and answers. */
  async statusAction(
    id: string,
    action: 'favourite' | 'unfavourite' | 'bookmark' | 'unbookmark' | 'follow_thread' | 'unfollow_thread' | 'accept' | 'unaccept',
  ): Promise<Status> {
    return (await this.request<Status>('POST', `/api/v1/statuses/${enc(id)}/${action}`)).data;
  }

  /** `PUT`/`DELETE /api/v1/statuses/:id/reactions/:name`. */
  async react(id: string, name: string, on: boolean): Promise<Status> {
    return (await this.request<Status>(on ? 'PUT' : 'DELETE', `/api/v1/statuses/${enc(id)}/reactions/${enc(name)}`)).data;
  }

  /** `POST /api/v2/media`: uploads an image with its description. */
  async uploadMedia(file: Blob, description: string): Promise<MediaAttachment> {
    const form = new FormData();
    form.append('file', file);
    if (description.trim()) form.append('description', description.trim());
    return (await this.request<MediaAttachment>('POST', '/api/v2/media', { form, fieldHint: 'file' })).data;
  }

  /** `GET /api/v1/timelines/tag/:name`. */
  tagTimeline(name: string, cursor?: PageCursor | null): Promise<Page<Status>> {
    return this.page<Status>(`/api/v1/timelines/tag/${enc(name)}`, cursor);
  }

  /** `GET /api/v1/timelines/community/:id`. */
  communityTimeline(id: string, cursor?: PageCursor | null): Promise<Page<Status>> {
    return this.page<Status>(`/api/v1/timelines/community/${enc(id)}`, cursor);
  }

  /** `GET /api/v1/timelines/threads`: threads I follow or take part in. */
  threadsTimeline(cursor?: PageCursor | null): Promise<Page<Status>> {
    return this.page<Status>('/api/v1/timelines/threads', cursor);
  }

  /** `GET /api/v1/bookmarks`. */
  bookmarks(cursor?: PageCursor | null): Promise<Page<Status>> {
    return this.page<Status>('/api/v1/bookmarks', cursor);
  }

  /** `GET /api/v1/notifications`. */
  notifications(cursor?: PageCursor | null): Promise<Page<Notification>> {
    return this.page<Notification>('/api/v1/notifications', cursor);
  }

  /** `GET /api/v1/notifications/unread_count`. */
  async unreadCount(): Promise<number> {
    const { data } = await this.request<{ count?: number }>('GET', '/api/v1/notifications/unread_count');
    return typeof data.count === 'number' ? data.count : 0;
  }

  /** `POST /api/v1/markers`: the last read post of a timeline. */
  async setMarker(timeline: 'home' | 'notifications', lastReadId: string): Promise<void> {
    await this.request<unknown>('POST', '/api/v1/markers', { body: { [timeline]: { last_read_id: lastReadId } } });
  }

  /** `GET /api/v1/markers`: last read ids by timeline. */
  async markers(): Promise<Record<string, string>> {
    const { data } = await this.request<Record<string, { last_read_id?: string } | undefined>>('GET', '/api/v1/markers', {
      query: { 'timeline[]': ['home', 'notifications'] },
    });
    const out: Record<string, string> = {};
    for (const [name, marker] of Object.entries(data)) if (marker?.last_read_id) out[name] = marker.last_read_id;
    return out;
  }

  /** `GET /api/v1/tags/:name`. */
  async tag(name: string): Promise<Tag> {
    return (await this.request<Tag>('GET', `/api/v1/tags/${enc(name)}`)).data;
  }

  /** `POST /api/v1/tags/:name/follow` or `unfollow`. */
  async followTag(name: string, follow: boolean): Promise<Tag> {
    return (await this.request<Tag>('POST', `/api/v1/tags/${enc(name)}/${follow ? 'follow' : 'unfollow'}`)).data;
  }

  /** `GET /api/v1/followed_tags`. */
  async followedTags(): Promise<Tag[]> {
    return list((await this.request<Tag[]>('GET', '/api/v1/followed_tags', { query: { limit: '100' } })).data);
  }

  /** `GET /api/v1/communities`: public ones and mine. */
  communities(cursor?: PageCursor | null): Promise<Page<Community>> {
    return this.page<Community>('/api/v1/communities', cursor);
  }

  /** `GET /api/v1/communities/:id`. */
  async community(id: string): Promise<Community> {
    return (await this.request<Community>('GET', `/api/v1/communities/${enc(id)}`)).data;
  }

  /** `POST /api/v1/communities`. */
  async createCommunity(form: { name: string; description: string; private: boolean }): Promise<Community> {
    return (await this.request<Community>('POST', '/api/v1/communities', { body: form, fieldHint: 'name' })).data;
  }

  /** `POST /api/v1/communities/:id/join` (or a request, for a private one) and `leave`. */
  async joinCommunity(id: string, join: boolean): Promise<Community> {
    return (await this.request<Community>('POST', `/api/v1/communities/${enc(id)}/${join ? 'join' : 'leave'}`)).data;
  }

  /** `GET /api/v1/communities/:id/members`. */
  async communityMembers(id: string): Promise<CommunityMember[]> {
    return list((await this.request<CommunityMember[]>('GET', `/api/v1/communities/${enc(id)}/members`, { query: { limit: '80' } })).data);
  }

  /** `GET /api/v1/communities/:id/requests`: people asking to join (community admins). */
  async communityRequests(id: string): Promise<CommunityMember[]> {
    return list((await this.request<CommunityMember[]>('GET', `/api/v1/communities/${enc(id)}/requests`)).data);
  }

  /** Authorises or rejects a request to join. */
  async answerRequest(id: string, accountId: string, authorize: boolean): Promise<void> {
    await this.request<unknown>('POST', `/api/v1/communities/${enc(id)}/requests/${enc(accountId)}/${authorize ? 'authorize' : 'reject'}`);
  }

  /** `POST /api/v1/communities/:id/members/:account_id/promote`: makes a member a community admin. */
  async promoteMember(id: string, accountId: string): Promise<CommunityMember> {
    return (await this.request<CommunityMember>('POST', `/api/v1/communities/${enc(id)}/members/${enc(accountId)}/promote`)).data;
  }

  /** `POST /api/v1/statuses/:id/announce` or `unannounce`: pins a post as an announcement (admins, community admins). */
  async announce(id: string, on: boolean): Promise<void> {
    await this.request<unknown>('POST', `/api/v1/statuses/${enc(id)}/${on ? 'announce' : 'unannounce'}`);
  }

  /** `POST /api/v1/notifications/:id/dismiss`. */
  async dismissNotification(id: string): Promise<void> {
    await this.request<unknown>('POST', `/api/v1/notifications/${enc(id)}/dismiss`);
  }

  /** `POST /api/v1/notifications/clear`: dismisses them all. */
  async clearNotifications(): Promise<void> {
    await this.request<unknown>('POST', '/api/v1/notifications/clear');
  }

  /** `GET /api/v1/directory`, optionally one department. */
  async directory(department: string | null, offset = 0): Promise<Account[]> {
    const query: Query = { limit: '40', offset: String(offset), order: 'new' };
    if (department) query.department = department;
    return list((await this.request<Account[]>('GET', '/api/v1/directory', { query })).data);
  }

  /** `GET /api/v1/hubbub/departments`. */
  async departments(): Promise<Department[]> {
    return list((await this.request<Department[]>('GET', '/api/v1/hubbub/departments')).data);
  }

  /** `GET /api/v2/search`: people, topics and posts; `type` narrows it. */
  async search(q: string, type?: 'accounts' | 'hashtags' | 'statuses', limit = 5): Promise<SearchResults> {
    const { data } = await this.request<Partial<SearchResults>>('GET', '/api/v2/search', { query: { q, type, limit: String(limit) } });
    return { accounts: list(data.accounts), statuses: list(data.statuses), hashtags: list(data.hashtags) };
  }

  /** `PATCH /api/v1/accounts/update_credentials` with profile fields (JSON). */
  async updateProfile(update: ProfileUpdate): Promise<CredentialAccount> {
    return (await this.request<CredentialAccount>('PATCH', '/api/v1/accounts/update_credentials', { body: update })).data;
  }

  /** `PATCH /api/v1/accounts/update_credentials` with a new avatar (multipart). */
  async updateAvatar(file: Blob): Promise<CredentialAccount> {
    const form = new FormData();
    form.append('avatar', file);
    return (await this.request<CredentialAccount>('PATCH', '/api/v1/accounts/update_credentials', { form, fieldHint: 'avatar' })).data;
  }

  /** `POST /api/v1/hubbub/password`: changes the signed-in person's password and revokes every token. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.request<unknown>('POST', '/api/v1/hubbub/password', {
      body: { current_password: currentPassword, new_password: newPassword },
    });
  }

  /** `GET /api/v1/hubbub/email_preferences`. */
  async emailPreferences(): Promise<EmailPreferences> {
    return (await this.request<EmailPreferences>('GET', '/api/v1/hubbub/email_preferences')).data;
  }

  /** `PUT /api/v1/hubbub/email_preferences`. */
  async updateEmailPreferences(prefs: Pick<EmailPreferences, 'notifications' | 'digest'>): Promise<EmailPreferences> {
    return (await this.request<EmailPreferences>('PUT', '/api/v1/hubbub/email_preferences', { body: prefs })).data;
  }

  /** `GET /api/v1/helpdesk/tickets`: the triage queue. */
  async tickets(filter: QueueFilter = {}): Promise<Ticket[]> {
    const query: Query = {};
    for (const [key, value] of Object.entries(filter)) {
      if (value === undefined || value === '' || value === false) continue;
      query[key] = String(value);
    }
    return list((await this.request<Ticket[]>('GET', '/api/v1/helpdesk/tickets', { query })).data);
  }

  /** `GET /api/v1/helpdesk/tickets/:id`: a ticket with its log. */
  async ticket(id: string): Promise<Ticket> {
    return (await this.request<Ticket>('GET', `/api/v1/helpdesk/tickets/${enc(id)}`)).data;
  }

  /** `PATCH /api/v1/helpdesk/tickets/:id`. */
  async updateTicket(id: string, change: TicketChange): Promise<Ticket> {
    return (await this.request<Ticket>('PATCH', `/api/v1/helpdesk/tickets/${enc(id)}`, { body: change })).data;
  }

  /** `POST /api/v1/helpdesk/tickets/bulk`: one change to many tickets. */
  async bulkUpdateTickets(ids: string[], change: TicketChange): Promise<Ticket[]> {
    return list((await this.request<Ticket[]>('POST', '/api/v1/helpdesk/tickets/bulk', { body: { ids, ...change } })).data);
  }

  /** `POST /api/v1/helpdesk/tickets/:id/minutes`. */
  async logMinutes(id: string, minutes: number): Promise<Ticket> {
    return (await this.request<Ticket>('POST', `/api/v1/helpdesk/tickets/${enc(id)}/minutes`, { body: { minutes }, fieldHint: 'minutes' })).data;
  }

  /** `POST /api/v1/helpdesk/tickets/:id/duplicate_of`. */
  async markDuplicate(id: string, originalId: string): Promise<Ticket> {
    return (await this.request<Ticket>('POST', `/api/v1/helpdesk/tickets/${enc(id)}/duplicate_of`, { body: { ticket_id: originalId }, fieldHint: 'ticket_id' })).data;
  }

  /** `POST /api/v1/helpdesk/tickets/:id/accept`: marks a reply as the ticket's accepted answer. */
  async acceptTicketAnswer(ticketId: string, answerId: string): Promise<Ticket> {
    return (await this.request<Ticket>('POST', `/api/v1/helpdesk/tickets/${enc(ticketId)}/accept`, { body: { answer_id: answerId }, fieldHint: 'answer_id' })).data;
  }

  /** `POST /api/v1/helpdesk/tickets/:id/reopen`. */
  async reopenTicket(id: string): Promise<Ticket> {
    return (await this.request<Ticket>('POST', `/api/v1/helpdesk/tickets/${enc(id)}/reopen`)).data;
  }

  /** `GET /api/v1/helpdesk/settings`. */
  async helpdeskSettings(): Promise<SettingsVersion> {
    return (await this.request<SettingsVersion>('GET', '/api/v1/helpdesk/settings')).data;
  }

  /** `PATCH /api/v1/helpdesk/settings` with a JSON merge patch; 422 names the field. */
  async updateHelpdeskSettings(patch: Record<string, unknown>): Promise<SettingsVersion> {
    return (await this.request<SettingsVersion>('PATCH', '/api/v1/helpdesk/settings', { body: patch })).data;
  }

  /** `GET /api/v1/helpdesk/settings/history`: saved versions, newest first, a page at a time. */
  async helpdeskSettingsHistory(cursor?: PageCursor | null): Promise<Page<SettingsHistoryEntry>> {
    const { data, headers } = await this.request<SettingsHistoryEntry[]>('GET', '/api/v1/helpdesk/settings/history', {
      query: { limit: String(PAGE_SIZE), max_id: cursor?.max_id },
    });
    const items = Array.isArray(data) ? data : [];
    const ids = items.map((v) => ({ id: String(v.version) }));
    return { items, next: nextCursor(headers.get('Link'), ids, PAGE_SIZE) };
  }

  /** `GET /api/v1/helpdesk/settings/versions/:n` (0 is the built-in defaults). */
  async helpdeskSettingsVersion(version: number): Promise<SettingsHistoryEntry> {
    return (await this.request<SettingsHistoryEntry>('GET', `/api/v1/helpdesk/settings/versions/${String(version)}`)).data;
  }

  /** `GET /api/v1/reports/helpdesk`. */
  async helpdeskReport(period: ReportPeriod): Promise<HelpdeskReport> {
    return (await this.request<HelpdeskReport>('GET', '/api/v1/reports/helpdesk', { query: { ...period } })).data;
  }

  /** `GET /api/v1/admin/accounts`. */
  async adminAccounts(): Promise<AdminAccount[]> {
    return list((await this.request<AdminAccount[]>('GET', '/api/v1/admin/accounts', { query: { limit: '100' } })).data);
  }

  /** `POST /api/v1/admin/accounts/:id/role`. */
  async setRole(id: string, role: string): Promise<AdminAccount> {
    return (await this.request<AdminAccount>('POST', `/api/v1/admin/accounts/${enc(id)}/role`, { body: { role }, fieldHint: 'role' })).data;
  }

  /** `POST /api/v1/admin/accounts`: the password is in the answer only when the server generated it. */
  async createAccount(form: NewAccount): Promise<AccountWithPassword> {
    return (await this.request<AccountWithPassword>('POST', '/api/v1/admin/accounts', { body: form })).data;
  }

  /** `POST /api/v1/admin/accounts/:id/reset_password`: signs the person out everywhere; answers the generated password. */
  async resetPassword(id: string): Promise<AccountWithPassword> {
    return (await this.request<AccountWithPassword>('POST', `/api/v1/admin/accounts/${enc(id)}/reset_password`, { body: {} })).data;
  }

  /** `POST /api/v1/admin/accounts/import`: an org-directory CSV, all or nothing; errors are on the `csv` field. */
  async importAccounts(csv: Blob | string): Promise<ImportSummary> {
    return (await this.request<ImportSummary>('POST', '/api/v1/admin/accounts/import', { raw: { body: csv, contentType: 'text/csv' }, fieldHint: 'csv' })).data;
  }

  /** `GET /api/v1/admin/accounts/:id/export`: everything stored about one person, as a JSON file. */
  exportAccount(id: string): Promise<Blob> {
    return this.download(`/api/v1/admin/accounts/${enc(id)}/export`);
  }

  /** `GET /api/v1/admin/export`: the whole network as JSON lines. */
  exportAll(): Promise<Blob> {
    return this.download('/api/v1/admin/export');
  }

  /** `POST /api/v1/admin/accounts/:id/action` (`suspend`) or `unsuspend`. */
  async suspend(id: string, suspend: boolean, reportId?: string): Promise<void> {
    if (suspend) {
      await this.request<unknown>('POST', `/api/v1/admin/accounts/${enc(id)}/action`, { body: { type: 'suspend', report_id: reportId } });
    } else {
      await this.request<unknown>('POST', `/api/v1/admin/accounts/${enc(id)}/unsuspend`);
    }
  }

  /** `GET /api/v1/admin/reports`: unresolved reports, or resolved ones. */
  async adminReports(resolved: boolean): Promise<AdminReport[]> {
    return list((await this.request<AdminReport[]>('GET', '/api/v1/admin/reports', { query: { resolved: resolved ? 'true' : 'false' } })).data);
  }

  /** `POST /api/v1/admin/reports/:id/resolve`. */
  async resolveReport(id: string): Promise<AdminReport> {
    return (await this.request<AdminReport>('POST', `/api/v1/admin/reports/${enc(id)}/resolve`)).data;
  }

  /** `GET /api/v1/admin/audit_log`. */
  async auditLog(): Promise<AuditEntry[]> {
    return list((await this.request<AuditEntry[]>('GET', '/api/v1/admin/audit_log')).data);
  }

  /** `DELETE /api/v1/statuses/:id`. */
  async deleteStatus(id: string): Promise<void> {
    await this.request<unknown>('DELETE', `/api/v1/statuses/${encodeURIComponent(id)}`);
  }

  /** `GET /api/v1/timelines/home`: own posts and those of followed accounts. */
  homeTimeline(cursor?: PageCursor | null): Promise<Page<Status>> {
    return this.page<Status>('/api/v1/timelines/home', cursor);
  }

  /** `GET /api/v1/timelines/public`: everyone's posts. */
  publicTimeline(cursor?: PageCursor | null): Promise<Page<Status>> {
    return this.page<Status>('/api/v1/timelines/public', cursor);
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}

function list<T>(value: T[] | undefined | null): T[] {
  return Array.isArray(value) ? value : [];
}

export { ApiError };
