/** The signed-in session and this browser's app registration, kept in localStorage. */

import { ApiClient, ApiError } from './api/client';
import type { Registration } from './api/client';
import type { AppCredentials, Token } from './api/types';

const TOKEN_KEY = 'hubbub.token';
// v2: registrations that ask for the admin scopes too.
const APP_KEY = 'hubbub.app.v2';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private modes may refuse storage; the session then lasts for this page only.
  }
}

/** The stored access token, if any. */
export function storedToken(): string | null {
  return read(TOKEN_KEY);
}

/** Keeps (or forgets, with null) the access token. */
export function storeToken(token: string | null): void {
  write(TOKEN_KEY, token);
}

function storedApp(): AppCredentials | null {
  const raw = read(APP_KEY);
  if (!raw) return null;
  try {
    const app = JSON.parse(raw) as Partial<AppCredentials>;
    return typeof app.client_id === 'string' && typeof app.client_secret === 'string'
      ? { client_id: app.client_id, client_secret: app.client_secret }
      : null;
  } catch {
    return null;
  }
}

async function ensureApp(api: ApiClient, fresh = false): Promise<AppCredentials> {
  const existing = fresh ? null : storedApp();
  if (existing) return existing;
  const app = await api.createApp('Hubbub web');
  write(APP_KEY, JSON.stringify(app));
  return app;
}

/**
 * Runs `fn` with this browser's app credentials, registering the app again once if the
 * server no longer knows it (e.g. its data was reset).
 */
async function withApp<T>(api: ApiClient, fn: (app: AppCredentials) => Promise<T>): Promise<T> {
  const app = await ensureApp(api);
  try {
    return await fn(app);
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'invalid_client' || (e.status === 401 && e.code !== 'invalid_grant'))) {
      return fn(await ensureApp(api, true));
    }
    throw e;
  }
}

/** Signs in with a username and password; returns the token, already stored. */
export async function signIn(api: ApiClient, username: string, password: string): Promise<string> {
  const token: Token = await withApp(api, (app) => api.login(app, username, password));
  storeToken(token.access_token);
  return token.access_token;
}

/** Creates an account and signs in as it; returns the token, already stored. */
export async function signUp(api: ApiClient, form: Registration): Promise<string> {
  const appToken = await withApp(api, (app) => api.appToken(app));
  const token = await api.register(appToken.access_token, form);
  storeToken(token.access_token);
  return token.access_token;
}

/** Revokes the token on the server (best effort) and forgets it here. */
export async function signOut(api: ApiClient): Promise<void> {
  const token = api.accessToken;
  storeToken(null);
  api.setToken(null);
  const app = storedApp();
  if (token && app) {
    try {
      await api.revoke(app, token);
    } catch {
      // The token is gone from this browser either way; an unreachable server must not block logout.
    }
  }
}
