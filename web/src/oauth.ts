/** The OAuth authorization-code flow with PKCE (S256) and a checked `state`, as a phone app does it. */

/** The redirect URI of this client on `origin`: the server answers it with the client. */
export function callbackUri(origin: string): string {
  return `${origin}/oauth/callback`;
}

/** Unpadded base64url of `bytes` (RFC 7636 appendix A). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random unguessable string of `size` bytes, base64url (32 bytes give a 43-character verifier). */
export function randomToken(size = 32): string {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

/** The S256 code challenge of `verifier`: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** What the client remembers between leaving for the authorize page and coming back. */
export interface PendingAuthorization {
  state: string;
  verifier: string;
  redirectUri: string;
}

/** Where the pending authorization is kept (sessionStorage in the browser). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PENDING_KEY = 'hubbub.oauth.pending';

/** What to ask the authorize page for. */
export interface AuthorizeOptions {
  clientId: string;
  origin: string;
  scopes: string;
  /** Ask for the password even if the browser is signed in to the authorize page. */
  forceLogin?: boolean;
}

/**
 * Starts a sign-in: makes a verifier and a state, keeps them in `store`, and returns the
 * `/oauth/authorize` URL to send the browser to.
 */
export async function beginAuthorization(options: AuthorizeOptions, store: KeyValueStore): Promise<string> {
  const pending: PendingAuthorization = {
    state: randomToken(16),
    verifier: randomToken(32),
    redirectUri: callbackUri(options.origin),
  };
  store.setItem(PENDING_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: pending.redirectUri,
    scope: options.scopes,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
  });
  if (options.forceLogin) query.set('force_login', 'true');
  return `/oauth/authorize?${query.toString()}`;
}

/** The outcome of reading the callback's query. */
export type CallbackResult =
  | { ok: true; code: string; verifier: string; redirectUri: string }
  | { ok: false; message: string };

/**
 * Reads the callback query (`?code=..&state=..` or `?error=..`), checks the state against the
 * pending one and forgets it (a code is used once).
 */
export function completeAuthorization(search: string, store: KeyValueStore): CallbackResult {
  const params = new URLSearchParams(search);
  const raw = store.getItem(PENDING_KEY);
  store.removeItem(PENDING_KEY);
  let pending: PendingAuthorization | null = null;
  try {
    const parsed = raw ? (JSON.parse(raw) as Partial<PendingAuthorization>) : null;
    if (parsed && typeof parsed.state === 'string' && typeof parsed.verifier === 'string' && typeof parsed.redirectUri === 'string') {
      pending = { state: parsed.state, verifier: parsed.verifier, redirectUri: parsed.redirectUri };
    }
  } catch {
    pending = null;
  }
  const error = params.get('error');
  if (error) {
    return {
      ok: false,
      message: error === 'access_denied' ? 'Sign-in was cancelled.' : (params.get('error_description') ?? `Sign-in failed (${error}).`),
    };
  }
  if (!pending || params.get('state') !== pending.state) {
    return { ok: false, message: 'This sign-in link is stale or did not come from this browser. Sign in again.' };
  }
  const code = params.get('code');
  if (!code) return { ok: false, message: 'The server sent no authorization code. Sign in again.' };
  return { ok: true, code, verifier: pending.verifier, redirectUri: pending.redirectUri };
}
