import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './client';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: Call[] = [];
  const fn = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return Promise.resolve(new Response(status === 204 ? null : text, { status, headers }));
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

function headerOf(call: Call | undefined, name: string): string | undefined {
  return (call?.init.headers as Record<string, string> | undefined)?.[name];
}

describe('ApiClient', () => {
  it('sends the bearer token and JSON body when posting a status', async () => {
    const { fetch, calls } = fakeFetch(200, { id: '1', content: '<p>hi</p>', account: { id: '7' } });
    const api = new ApiClient({ fetch, token: 'tok' });
    const status = await api.postStatus('hi');
    expect(status.id).toBe('1');
    expect(calls[0]?.url).toBe('/api/v1/statuses');
    expect(calls[0]?.init.method).toBe('POST');
    expect(headerOf(calls[0], 'Authorization')).toBe('Bearer tok');
    expect(headerOf(calls[0], 'Content-Type')).toBe('application/json');
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ status: 'hi' });
  });

  it('puts registration errors next to the fields the server named', async () => {
    const { fetch } = fakeFetch(422, {
      error: 'Validation failed: Username has already been taken',
      details: {
        username: [{ error: 'ERR_TAKEN', description: 'has already been taken' }],
        password: [{ error: 'ERR_TOO_SHORT', description: 'is too short' }],
      },
    });
    const api = new ApiClient({ fetch });
    const error = await api.register('app', { username: 'alice', email: 'a@example.com', password: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.fieldError('username')).toBe('has already been taken');
    expect(apiError.fieldError('password')).toBe('is too short');
    expect(apiError.fieldError('email')).toBeUndefined();
  });

  it('reports a bare 422 on a status as an error on the status field', async () => {
    const { fetch } = fakeFetch(422, { error: 'Validation failed: Text can’t be blank' });
    const api = new ApiClient({ fetch, token: 't' });
    const error = (await api.postStatus('').catch((e: unknown) => e)) as ApiError;
    expect(error.fieldError('status')).toBe('Validation failed: Text can’t be blank');
  });

  it('maps the server’s "text" field to the composer’s "status" field', async () => {
    const { fetch } = fakeFetch(422, { error: 'bad', details: { text: [{ error: 'ERR_TOO_LONG', description: 'is too long' }] } });
    const api = new ApiClient({ fetch, token: 't' });
    const error = (await api.postStatus('x').catch((e: unknown) => e)) as ApiError;
    expect(error.fieldError('status')).toBe('is too long');
  });

  it('explains a refused authorization code', async () => {
    const { fetch } = fakeFetch(400, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid' });
    const api = new ApiClient({ fetch });
    const error = (await api.exchangeCode({ client_id: 'c', client_secret: 's' }, 'used', 'v', 'http://x/oauth/callback').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_grant');
    expect(error.message).toBe('The sign-in expired or was already used. Sign in again.');
  });

  it('exchanges the code with the verifier, the app credentials and no bearer token', async () => {
    const { fetch, calls } = fakeFetch(200, { access_token: 'abc', token_type: 'Bearer' });
    const api = new ApiClient({ fetch, token: 'old' });
    const token = await api.exchangeCode({ client_id: 'c', client_secret: 's' }, 'code1', 'verifier1', 'http://x/oauth/callback');
    expect(token.access_token).toBe('abc');
    expect(headerOf(calls[0], 'Authorization')).toBeUndefined();
    expect(JSON.parse(calls[0]?.init.body as string)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code1',
      code_verifier: 'verifier1',
      redirect_uri: 'http://x/oauth/callback',
      client_id: 'c',
      client_secret: 's',
    });
  });

  it('registers the app with the browser callback as its redirect URI', async () => {
    const { fetch, calls } = fakeFetch(200, { client_id: 'c', client_secret: 's' });
    const api = new ApiClient({ fetch });
    await api.createApp('Hubbub web', 'http://x/oauth/callback');
    expect(JSON.parse(calls[0]?.init.body as string)).toMatchObject({ redirect_uris: 'http://x/oauth/callback' });
  });

  it('turns a network failure into a status-0 error with a readable message', async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ fetch });
    const error = (await api.instance().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/reach the server/);
  });

  it('copes with an error response that is not JSON', async () => {
    const { fetch } = fakeFetch(502, '<html>Bad gateway</html>');
    const api = new ApiClient({ fetch });
    const error = (await api.verifyCredentials().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/server had a problem/);
  });

  it('asks for the next page with max_id taken from the Link header', async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ id: String(100 - i) }));
    const { fetch, calls } = fakeFetch(200, items, {
      Link: '<http://h/api/v1/timelines/home?limit=20&max_id=81>; rel="next", <http://h/api/v1/timelines/home?limit=20&min_id=100>; rel="prev"',
    });
    const api = new ApiClient({ fetch, token: 't' });
    const page = await api.homeTimeline();
    expect(page.items).toHaveLength(20);
    expect(page.next).toEqual({ max_id: '81' });
    await api.homeTimeline(page.next);
    expect(calls[1]?.url).toBe('/api/v1/timelines/home?limit=20&max_id=81');
  });

  it('encodes relationship ids as repeated id[] parameters', async () => {
    const { fetch, calls } = fakeFetch(200, [{ id: '5', following: true, followed_by: false }]);
    const api = new ApiClient({ fetch, token: 't' });
    const rels = await api.relationships(['5', '6']);
    expect(rels[0]?.following).toBe(true);
    expect(calls[0]?.url).toBe('/api/v1/accounts/relationships?id%5B%5D=5&id%5B%5D=6');
  });
});

describe('ApiClient, Hubbub extensions', () => {
  it('posts a question into a community with an image', async () => {
    const { fetch, calls } = fakeFetch(200, { id: '1', content: '', account: { id: '7' } });
    const api = new ApiClient({ fetch, token: 'tok' });
    await api.postStatus({ status: 'help?', community_id: '5', hubbub_question: true, media_ids: ['9'], in_reply_to_id: null });
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ status: 'help?', community_id: '5', hubbub_question: true, media_ids: ['9'] });
  });

  it('filters the triage queue, leaving out unset filters and mapping booleans', async () => {
    const { fetch, calls } = fakeFetch(200, [{ id: '3' }]);
    const api = new ApiClient({ fetch, token: 'tok' });
    const tickets = await api.tickets({ state: 'open,in_progress', category: '', awaiting_confirmation: true, sort: 'sla_risk' });
    expect(tickets).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/v1/helpdesk/tickets?state=open%2Cin_progress&awaiting_confirmation=true&sort=sla_risk');
  });

  it('sends bulk changes with the ids and reads markers by timeline', async () => {
    const bulk = fakeFetch(200, []);
    await new ApiClient({ fetch: bulk.fetch, token: 't' }).bulkUpdateTickets(['1', '2'], { state: 'resolved' });
    expect(JSON.parse(bulk.calls[0]?.init.body as string)).toEqual({ ids: ['1', '2'], state: 'resolved' });
    const markers = fakeFetch(200, { home: { last_read_id: '42' }, notifications: { last_read_id: '7' } });
    expect(await new ApiClient({ fetch: markers.fetch, token: 't' }).markers()).toEqual({ home: '42', notifications: '7' });
    expect(markers.calls[0]?.url).toBe('/api/v1/markers?timeline%5B%5D=home&timeline%5B%5D=notifications');
  });

  it('downloads an export with the bearer token and reports a refused one as an error', async () => {
    const ok = fakeFetch(200, 'id,category\n1,access\n', { 'Content-Type': 'text/csv' });
    const blob = await new ApiClient({ fetch: ok.fetch, token: 'tok' }).download('/api/v1/reports/helpdesk/tickets.csv', { since: '2026-01-01' });
    expect(await blob.text()).toContain('1,access');
    expect(headerOf(ok.calls[0], 'Authorization')).toBe('Bearer tok');
    expect(ok.calls[0]?.url).toBe('/api/v1/reports/helpdesk/tickets.csv?since=2026-01-01');
    const refused = fakeFetch(403, { error: 'This action needs the manager or admin role' });
    await expect(new ApiClient({ fetch: refused.fetch, token: 'tok' }).download('/x')).rejects.toMatchObject({ status: 403, message: 'This action needs the manager or admin role' });
  });

  it('names the settings field the server refused', async () => {
    const { fetch } = fakeFetch(422, { error: 'Validation failed', details: { 'targets.peer_resolved_share': [{ error: 'ERR_INVALID', description: 'must be between 0 and 1, got 1.5' }] } });
    const error = await new ApiClient({ fetch, token: 't' }).updateHelpdeskSettings({ targets: { peer_resolved_share: 1.5 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fieldError('targets.peer_resolved_share')).toBe('must be between 0 and 1, got 1.5');
  });

  it('creates an account as an admin and keeps the generated password the server returns once', async () => {
    const { fetch, calls } = fakeFetch(200, { account: { id: '9', username: 'dana', role: { name: 'support' } }, password: 'Gen3ratedPassw0rd' });
    const created = await new ApiClient({ fetch, token: 'adm' }).createAccount({ username: 'dana', email: 'dana@corp.example', role: 'support' });
    expect(calls[0]?.url).toBe('/api/v1/admin/accounts');
    expect(calls[0]?.init.method).toBe('POST');
    expect(headerOf(calls[0], 'Authorization')).toBe('Bearer adm');
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ username: 'dana', email: 'dana@corp.example', role: 'support' });
    expect(created.account.username).toBe('dana');
    expect(created.password).toBe('Gen3ratedPassw0rd');
  });

  it('puts a refused new account’s errors on the fields the server named', async () => {
    const { fetch } = fakeFetch(422, {
      error: 'Validation failed: username is already taken, role unknown role',
      details: {
        username: [{ error: 'ERR_TAKEN', description: 'username is already taken' }],
        role: [{ error: 'ERR_INVALID', description: "role unknown role 'wizard'" }],
      },
    });
    const error = (await new ApiClient({ fetch, token: 'adm' }).createAccount({ username: 'dana', email: 'd@corp.example', role: 'wizard' }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(422);
    expect(error.fieldError('username')).toBe('username is already taken');
    expect(error.fieldError('role')).toBe("role unknown role 'wizard'");
    expect(error.fieldError('email')).toBeUndefined();
  });

  it('resets a password and reads the new one from the answer', async () => {
    const { fetch, calls } = fakeFetch(200, { account: { id: '7', username: 'bob' }, password: 'NewPassw0rdNewPa' });
    const reset = await new ApiClient({ fetch, token: 'adm' }).resetPassword('7');
    expect(calls[0]?.url).toBe('/api/v1/admin/accounts/7/reset_password');
    expect(calls[0]?.init.method).toBe('POST');
    expect(reset.password).toBe('NewPassw0rdNewPa');
  });

  it('sends an org-directory CSV as is and names the line of a refused row on the csv field', async () => {
    const ok = fakeFetch(200, { created: 2, updated: 1 });
    const csv = 'name,email\nDana,dana@corp.example\n';
    const summary = await new ApiClient({ fetch: ok.fetch, token: 'adm' }).importAccounts(csv);
    expect(summary).toEqual({ created: 2, updated: 1 });
    expect(ok.calls[0]?.url).toBe('/api/v1/admin/accounts/import');
    expect(headerOf(ok.calls[0], 'Content-Type')).toBe('text/csv');
    expect(ok.calls[0]?.init.body).toBe(csv);
    const refused = fakeFetch(422, { error: 'Validation failed', details: { csv: [{ error: 'ERR_INVALID', description: "csv line 3: 'x': email is not valid" }] } });
    const error = (await new ApiClient({ fetch: refused.fetch, token: 'adm' }).importAccounts(csv).catch((e: unknown) => e)) as ApiError;
    expect(error.fieldError('csv')).toContain('line 3');
  });

  it('downloads one person’s export and the whole network’s with the bearer token', async () => {
    const one = fakeFetch(200, { account: { username: 'ada' } });
    const blob = await new ApiClient({ fetch: one.fetch, token: 'adm' }).exportAccount('5');
    expect(one.calls[0]?.url).toBe('/api/v1/admin/accounts/5/export');
    expect(headerOf(one.calls[0], 'Authorization')).toBe('Bearer adm');
    expect(JSON.parse(await blob.text())).toEqual({ account: { username: 'ada' } });
    const all = fakeFetch(200, '{"type":"account"}\n{"type":"status"}\n');
    const lines = await (await new ApiClient({ fetch: all.fetch, token: 'adm' }).exportAll()).text();
    expect(all.calls[0]?.url).toBe('/api/v1/admin/export');
    expect(lines.trim().split('\n')).toHaveLength(2);
  });
});
