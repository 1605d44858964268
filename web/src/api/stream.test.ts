import { describe, expect, it } from 'vitest';
import {
  BACKOFF_MAX_MS,
  StreamConnection,
  backoffDelay,
  parseStreamFrame,
  streamingUrl,
  type SocketLike,
  type StreamEvent,
  type StreamState,
} from './stream';

const status = { id: '9', content: '<p>hi</p>', account: { id: '1', username: 'alice' } };

describe('parseStreamFrame', () => {
  it('decodes an update whose payload is a JSON string', () => {
    const frame = JSON.stringify({ stream: ['user'], event: 'update', payload: JSON.stringify(status), id: '1' });
    const event = parseStreamFrame(frame);
    expect(event?.kind).toBe('update');
    expect(event?.kind === 'update' && event.status.id).toBe('9');
  });

  it('decodes a delete whose payload is the status id', () => {
    expect(parseStreamFrame(JSON.stringify({ stream: ['user'], event: 'delete', payload: '9' }))).toEqual({ kind: 'delete', id: '9' });
  });

  it('passes other events through by name', () => {
    expect(parseStreamFrame(JSON.stringify({ event: 'filters_changed', payload: '{}' }))).toEqual({ kind: 'other', event: 'filters_changed' });
  });

  it('decodes notifications, edits and new tickets, and drops malformed ones', () => {
    const notification = { id: '5', type: 'mention', created_at: 'x', account: { id: '1' } };
    expect(parseStreamFrame(JSON.stringify({ event: 'notification', payload: JSON.stringify(notification) }))).toEqual({ kind: 'notification', notification });
    expect(parseStreamFrame(JSON.stringify({ event: 'notification', payload: '{}' }))).toBeNull();
    const edited = { id: '9', content: '<p>new</p>', account: { id: '1' } };
    expect(parseStreamFrame(JSON.stringify({ event: 'status.update', payload: JSON.stringify(edited) }))).toEqual({ kind: 'status.update', status: edited });
    const ticket = { id: '12', state: 'open' };
    expect(parseStreamFrame(JSON.stringify({ event: 'hubbub.ticket', payload: JSON.stringify(ticket) }))).toEqual({ kind: 'ticket', ticket });
    expect(parseStreamFrame(JSON.stringify({ event: 'hubbub.ticket', payload: 'nope' }))).toBeNull();
  });

  it('adds stream parameters to the URL', () => {
    expect(streamingUrl('wss://s.example', 'thread', 'https://h.example/', { thread: '42' })).toBe('wss://s.example/api/v1/streaming?stream=thread&thread=42');
  });

  it('ignores malformed frames instead of throwing', () => {
    expect(parseStreamFrame('not json')).toBeNull();
    expect(parseStreamFrame(JSON.stringify({ event: 'update', payload: '{broken' }))).toBeNull();
    expect(parseStreamFrame(JSON.stringify({ event: 'update', payload: JSON.stringify({ id: 1 }) }))).toBeNull();
    expect(parseStreamFrame(JSON.stringify({ event: 'delete' }))).toBeNull();
    expect(parseStreamFrame(new ArrayBuffer(2))).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles from one second and never exceeds thirty', () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffDelay(a, top))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('jitters between half and the whole step', () => {
    expect(backoffDelay(2, () => 0)).toBe(2000);
    expect(backoffDelay(2, () => 0.5)).toBe(3000);
    expect(backoffDelay(1000, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });
});

describe('streamingUrl', () => {
  it('appends the streaming path to the instance’s streaming URL', () => {
    expect(streamingUrl('ws://127.0.0.1:8081/', 'user', 'http://127.0.0.1:8080/')).toBe(
      'ws://127.0.0.1:8081/api/v1/streaming?stream=user',
    );
  });

  it('falls back to the page’s host, secure when the page is', () => {
    expect(streamingUrl(undefined, 'user', 'https://hub.example/#/home')).toBe('wss://hub.example/api/v1/streaming?stream=user');
    expect(streamingUrl('', 'public', 'http://localhost:8080/')).toBe('ws://localhost:8080/api/v1/streaming?stream=public');
  });
});

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.onopen?.(new Event('open'));
  }
  receive(data: string): void {
    this.onmessage?.({ data } as MessageEvent);
  }
  drop(): void {
    this.onclose?.({ code: 1006 } as CloseEvent);
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const states: StreamState[] = [];
  const events: StreamEvent[] = [];
  let reconnects = 0;
  const conn = new StreamConnection({
    url: 'ws://s/api/v1/streaming?stream=user',
    token: 'secret',
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
    onReconnected: () => {
      reconnects += 1;
    },
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimer: () => {},
    random: () => 1,
  });
  return { conn, sockets, timers, states, events, reconnects: () => reconnects };
}

describe('StreamConnection', () => {
  it('sends the token as the subprotocol and delivers events once live', () => {
    const h = harness();
    h.conn.start();
    expect(h.sockets[0]?.protocols).toEqual(['secret']);
    h.sockets[0]?.open();
    expect(h.conn.state).toBe('live');
    h.sockets[0]?.receive(JSON.stringify({ event: 'update', payload: JSON.stringify(status) }));
    expect(h.events).toHaveLength(1);
  });

  it('reconnects with growing delays, resets them once live, and asks to resync', () => {
    const h = harness();
    h.conn.start();
    h.sockets[0]?.open();
    h.sockets[0]?.drop();
    expect(h.conn.state).toBe('reconnecting');
    expect(h.timers.map((t) => t.ms)).toEqual([1000]);

    h.timers[0]?.fn();
    h.sockets[1]?.drop();
    expect(h.timers.map((t) => t.ms)).toEqual([1000, 2000]);
    h.timers[1]?.fn();
    h.sockets[2]?.drop();
    expect(h.timers.map((t) => t.ms)).toEqual([1000, 2000, 4000]);

    h.timers[2]?.fn();
    h.sockets[3]?.open();
    expect(h.conn.state).toBe('live');
    expect(h.reconnects()).toBe(1);

    h.sockets[3]?.drop();
    expect(h.timers[3]?.ms).toBe(1000);
    expect(h.states).toEqual(['connecting', 'live', 'reconnecting', 'live', 'reconnecting']);
  });

  it('stops for good: no reconnect after stop, and the socket is closed', () => {
    const h = harness();
    h.conn.start();
    h.sockets[0]?.open();
    h.conn.stop();
    expect(h.sockets[0]?.closed).toBe(true);
    h.sockets[0]?.drop();
    expect(h.timers).toHaveLength(0);
    expect(h.conn.state).toBe('closed');
  });
});
