import { describe, expect, it } from 'vitest';
import { beginAuthorization, codeChallenge, completeAuthorization, randomToken, type KeyValueStore } from './oauth';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe('PKCE and state', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character base64url verifiers that differ each time', () => {
    const a = randomToken(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(32)).not.toBe(a);
  });

  it('builds the authorize URL with the challenge of the kept verifier and the state', async () => {
    const store = memoryStore();
    const url = new URL(await beginAuthorization({ clientId: 'cid', origin: 'https://hub.example', scopes: 'read write' }, store), 'https://hub.example');
    expect(url.pathname).toBe('/oauth/authorize');
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('cid');
    expect(q.get('redirect_uri')).toBe('https://hub.example/oauth/callback');
    expect(q.get('scope')).toBe('read write');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('force_login')).toBeNull();
    const pending = JSON.parse([...store.data.values()][0] ?? '{}') as { state: string; verifier: string };
    expect(q.get('state')).toBe(pending.state);
    expect(q.get('code_challenge')).toBe(await codeChallenge(pending.verifier));
  });

  it('asks for the password again when told to', async () => {
    const url = await beginAuthorization({ clientId: 'c', origin: 'http://x', scopes: 'read', forceLogin: true }, memoryStore());
    expect(new URL(url, 'http://x').searchParams.get('force_login')).toBe('true');
  });

  it('accepts the callback only with the state it sent, and only once', async () => {
    const store = memoryStore();
    const url = new URL(await beginAuthorization({ clientId: 'c', origin: 'http://x', scopes: 'read' }, store), 'http://x');
    const state = url.searchParams.get('state') ?? '';
    const result = completeAuthorization(`?code=abc&state=${state}`, store);
    expect(result).toMatchObject({ ok: true, code: 'abc', redirectUri: 'http://x/oauth/callback' });
    expect(completeAuthorization(`?code=abc&state=${state}`, store).ok).toBe(false);
  });

  it('refuses a callback whose state does not match', async () => {
    const store = memoryStore();
    await beginAuthorization({ clientId: 'c', origin: 'http://x', scopes: 'read' }, store);
    const result = completeAuthorization('?code=abc&state=forged', store);
    expect(result.ok).toBe(false);
  });

  it('reports a denied authorization', async () => {
    const store = memoryStore();
    await beginAuthorization({ clientId: 'c', origin: 'http://x', scopes: 'read' }, store);
    expect(completeAuthorization('?error=access_denied&state=s', store)).toEqual({ ok: false, message: 'Sign-in was cancelled.' });
  });
});
