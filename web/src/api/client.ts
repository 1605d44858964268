/** A typed client for the Mastodon-compatible API that `hubbub serve` exposes on the same origin. */

import { ApiError, networkError, toApiError } from './errors';
import { nextCursor } from './link';
import type {
  Account,
  AppCredentials,
  Instance,
  Page,
  PageCursor,
  Relationship,
  Status,
  Token,
} from './types';

/** The scopes every token of this client asks for. */
export const SCOPES = 'read write follow';
/** Mastodon's "out of band" redirect: this client never uses a browser redirect. */
export const REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
/** Posts fetched per timeline page. */
export const PAGE_SIZE = 20;

type Query = Record<string, string | string[] | undefined>;

interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Send the signed-in user's token (default), another token, or none. */
  token?: string | null;
  /** The form field a bare 422 is about. */
  fieldHint?: string;
}

/** What `register` needs from the form. */
export interface Registration {
  username: string;
  email: string;
  password: string;
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
    if (options.body !== undefined) {
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

  /** `POST /api/v1/apps`: registers this browser as an OAuth app. */
  async createApp(clientName: string): Promise<AppCredentials> {
    const { data } = await this.request<AppCredentials>('POST', '/api/v1/apps', {
      token: null,
      body: { client_name: clientName, redirect_uris: REDIRECT_URI, scopes: SCOPES },
    });
    return { client_id: data.client_id, client_secret: data.client_secret };
  }

  /** `POST /oauth/token` with `client_credentials`: the app token that may register accounts. */
  async appToken(app: AppCredentials): Promise<Token> {
    return (
      await this.request<Token>('POST', '/oauth/token', {
        token: null,
        body: { grant_type: 'client_credentials', ...app, scope: SCOPES, redirect_uri: REDIRECT_URI },
      })
    ).data;
  }

  /** `POST /oauth/token` with `password`: signs a user in. */
  async login(app: AppCredentials, username: string, password: string): Promise<Token> {
    return (
      await this.request<Token>('POST', '/oauth/token', {
        token: null,
        body: { grant_type: 'password', username, password, ...app, scope: SCOPES },
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
  async verifyCredentials(): Promise<Account> {
    return (await this.request<Account>('GET', '/api/v1/accounts/verify_credentials')).data;
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

  /** `POST /api/v1/statuses`: a 422 is reported on the `status` field. */
  async postStatus(status: string): Promise<Status> {
    return (await this.request<Status>('POST', '/api/v1/statuses', { body: { status }, fieldHint: 'status' })).data;
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

export { ApiError };
