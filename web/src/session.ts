/** The signed-in session and this browser's app registration, kept in localStorage. */

import { ApiClient, ApiError, SCOPES } from './api/client';
import type { Registration } from './api/client';
import type { AppCredentials, Token } from './api/types';
import { beginAuthorization, callbackUri, completeAuthorization, type KeyValueStore } from './oauth';

const TOKEN_KEY = 'hubbub.token';
// v3: registrations for the authorization-code flow, with their redirect URI.
const APP_KEY = 'hubbub.app.v3';
/** Set by signing out: the next sign-in asks for the password again. */
const SIGNED_OUT_KEY = 'hubbub.signed_out';

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

/** A registration remembers its redirect URI: a client served from another origin registers again. */
interface StoredApp extends AppCredentials {
  redirect_uri: string;
}

function storedApp(redirectUri: string): AppCredentials | null {
  const raw = read(APP_KEY);
  if (!raw) return null;
  try {
    const app = JSON.parse(raw) as Partial<StoredApp>;
    return typeof app.client_id === 'string' && typeof app.client_secret === 'string' && app.redirect_uri === redirectUri
      ? { client_id: app.client_id, client_secret: app.client_secret }
      : null;
  } catch {
    return null;
  }
}

function redirectUri(): string {
  return callbackUri(location.origin);
}

async function ensureApp(api: ApiClient, fresh = false): Promise<AppCredentials> {
  const uri = redirectUri();
  const existing = fresh ? null : storedApp(uri);
  if (existing) return existing;
  const app = await api.createApp('Hubbub web', uri);
  const stored: StoredApp = { ...app, redirect_uri: uri };
  write(APP_KEY, JSON.stringify(stored));
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

/** The tab's storage for the pending sign-in, or a memory stand-in where storage is refused. */
function pendingStore(): KeyValueStore {
  try {
    return sessionStorage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
      removeItem: (key) => void memory.delete(key),
    };
  }
}

/**
 * Starts signing in: checks the app registration (registering again if the server forgot it)
 * and returns the `/oauth/authorize` URL to open. After a sign-out the page asks for the password
 * again even if the browser is still signed in there.
 */
export async function startSignIn(api: ApiClient): Promise<string> {
  const app = await withApp(api, async (candidate) => {
    await api.appToken(candidate);
    return candidate;
  });
  return beginAuthorization(
    { clientId: app.client_id, origin: location.origin, scopes: SCOPES, forceLogin: read(SIGNED_OUT_KEY) === '1' },
    pendingStore(),
  );
}

/** Finishes signing in on `/oauth/callback`: checks the state, exchanges the code; returns the token, already stored. */
export async function finishSignIn(api: ApiClient, search: string): Promise<string> {
  const result = completeAuthorization(search, pendingStore());
  if (!result.ok) throw new Error(result.message);
  const app = storedApp(result.redirectUri);
  if (!app) throw new Error('This browser’s app registration was lost. Sign in again.');
  const token: Token = await api.exchangeCode(app, result.code, result.verifier, result.redirectUri);
  storeToken(token.access_token);
  write(SIGNED_OUT_KEY, null);
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
  write(SIGNED_OUT_KEY, '1');
  const app = storedApp(redirectUri());
  if (token && app) {
    try {
      await api.revoke(app, token);
    } catch {
      // The token is gone from this browser either way; an unreachable server must not block logout.
    }
  }
}
