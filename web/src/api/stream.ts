/** Mastodon's streaming protocol over WebSocket: frame parsing and a reconnecting connection. */

import type { Notification, Status, Ticket } from './types';

/** A decoded streaming event the client acts on. */
export type StreamEvent =
  | { kind: 'update'; status: Status }
  | { kind: 'status.update'; status: Status }
  | { kind: 'delete'; id: string }
  | { kind: 'notification'; notification: Notification }
  | { kind: 'ticket'; ticket: Ticket }
  | { kind: 'other'; event: string };

/** Where the connection is; `reconnecting` is shown to the user as a quiet notice. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStatus(v: unknown): v is Status {
  return (
    isRecord(v) &&
    typeof v.id === 'string' &&
    typeof v.content === 'string' &&
    isRecord(v.account) &&
    typeof v.account.id === 'string'
  );
}

/** A payload is a JSON document inside a string (Mastodon's framing); objects are accepted too. */
function jsonPayload(payload: unknown): unknown {
  if (isRecord(payload)) return payload;
  if (typeof payload !== 'string') return null;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
}

/**
 * Decodes one WebSocket text frame. Returns null for anything malformed: a bad frame
 * from the server must never break the timeline.
 */
export function parseStreamFrame(data: unknown): StreamEvent | null {
  if (typeof data !== 'string') return null;
  let frame: unknown;
  try {
    frame = JSON.parse(data) as unknown;
  } catch {
    return null;
  }
  if (!isRecord(frame) || typeof frame.event !== 'string') return null;
  const payload = frame.payload;
  switch (frame.event) {
    case 'update':
    case 'status.update': {
      const status = jsonPayload(payload);
      return isStatus(status) ? { kind: frame.event, status } : null;
    }
    case 'notification': {
      const notification = jsonPayload(payload);
      return isRecord(notification) && typeof notification.id === 'string' && typeof notification.type === 'string'
        ? { kind: 'notification', notification: notification as unknown as Notification }
        : null;
    }
    case 'hubbub.ticket': {
      const ticket = jsonPayload(payload);
      return isRecord(ticket) && typeof ticket.id === 'string' ? { kind: 'ticket', ticket: ticket as unknown as Ticket } : null;
    }
    case 'delete':
      if (typeof payload === 'string' && payload !== '') return { kind: 'delete', id: payload };
      if (typeof payload === 'number') return { kind: 'delete', id: String(payload) };
      return null;
    default:
      return { kind: 'other', event: frame.event };
  }
}

/** First retry after a drop, in ms. */
export const BACKOFF_BASE_MS = 1000;
/** Longest wait between retries, in ms. */
export const BACKOFF_MAX_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from 1 s up to 30 s, with
 * jitter between half and the whole step, so that a restarted server is not hit by every
 * client at the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * The WebSocket URL for a stream. `streamingBase` is the instance's
 * `configuration.urls.streaming`; without it the page's own host is used.
 */
export function streamingUrl(
  streamingBase: string | undefined,
  stream: string,
  pageUrl: string,
  params: Record<string, string> = {},
): string {
  let base = streamingBase?.trim();
  if (!base) {
    const page = new URL(pageUrl);
    base = `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}`;
  }
  const extra = Object.entries(params)
    .map(([key, value]) => `&${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('');
  return `${base.replace(/\/+$/, '')}/api/v1/streaming?stream=${encodeURIComponent(stream)}${extra}`;
}

/** The subset of the browser's WebSocket the connection uses, so tests can fake it. */
export interface SocketLike {
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(code?: number, reason?: string): void;
}

/** Builds a socket; the token travels as the subprotocol, which the server echoes back. */
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

/** What a StreamConnection needs. Timers and randomness are injectable for tests. */
export interface StreamOptions {
  url: string;
  token: string;
  onEvent: (event: StreamEvent) => void;
  onState?: (state: StreamState) => void;
  /** Called after a dropped connection is live again: events may have been missed. */
  onReconnected?: () => void;
  createSocket?: SocketFactory;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
}

/** A WebSocket that reconnects with back-off until `stop()` is called. */
export class StreamConnection {
  private readonly options: StreamOptions;
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private wasLive = false;
  private stopped = false;
  private current: StreamState = 'closed';

  constructor(options: StreamOptions) {
    this.options = options;
  }

  /** The current state. */
  get state(): StreamState {
    return this.current;
  }

  /** Opens the connection. */
  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Closes the connection for good (logout, leaving the page). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) {
      (this.options.clearTimer ?? ((h) => { clearTimeout(h as ReturnType<typeof setTimeout>); }))(this.timer);
      this.timer = null;
    }
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.onopen = null;
      socket.close(1000, 'client closed');
    }
    this.setState('closed');
  }

  private setState(state: StreamState): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onState?.(state);
  }

  private open(): void {
    if (this.stopped) return;
    this.setState(this.attempt === 0 && !this.wasLive ? 'connecting' : 'reconnecting');
    const create: SocketFactory =
      this.options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
    let socket: SocketLike;
    try {
      socket = create(this.options.url, [this.options.token]);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      const reconnected = this.wasLive || this.attempt > 0;
      this.attempt = 0;
      this.wasLive = true;
      this.setState('live');
      if (reconnected) this.options.onReconnected?.();
    };
    socket.onmessage = (ev: MessageEvent) => {
      const event = parseStreamFrame(ev.data);
      if (event) this.options.onEvent(event);
    };
    socket.onerror = () => {
      // A close event always follows an error; reconnecting is handled there.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempt, this.options.random);
    this.attempt += 1;
    const set = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.timer = set(() => {
      this.timer = null;
      this.open();
    }, delay);
  }
}
