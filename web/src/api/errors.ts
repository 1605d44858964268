/** Errors from the API, mapped to what a form needs: a message and per-field messages. */

/** Field errors keyed by the client's own field names. */
export type FieldErrors = Record<string, string[]>;

/** A failed API call. `status` is 0 when the server could not be reached at all. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** The first message for a field, if the server named it. */
  fieldError(field: string): string | undefined {
    return this.fields[field]?.[0];
  }
}

/** Server field names that the client shows under a differently named control. */
const FIELD_ALIASES: Record<string, string> = { text: 'status' };

/** Messages that read better than the OAuth error codes. */
const FRIENDLY: Record<string, string> = {
  invalid_grant: 'The sign-in expired or was already used. Sign in again.',
  invalid_client: 'This browser’s app registration is no longer valid.',
  invalid_token: 'Your session has ended. Please sign in again.',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function detailMessage(item: unknown): string | null {
  if (typeof item === 'string') return item;
  if (isRecord(item)) {
    if (typeof item.description === 'string') return item.description;
    if (typeof item.error === 'string') return item.error;
  }
  return null;
}

/**
 * Builds an ApiError from a response body (already parsed, or null if it was not JSON).
 * `fieldHint` names the field a bare 422 is about (e.g. the composer's `status`),
 * because the server's message may name the problem without a `details` map.
 */
export function toApiError(status: number, body: unknown, fieldHint?: string): ApiError {
  const code = isRecord(body) && typeof body.error === 'string' ? body.error : `http_${status}`;
  const described =
    isRecord(body) && typeof body.error_description === 'string' ? body.error_description : null;
  const message = FRIENDLY[code] ?? described ?? (isRecord(body) && typeof body.error === 'string' ? body.error : defaultMessage(status));

  const fields: FieldErrors = {};
  if (isRecord(body) && isRecord(body.details)) {
    for (const [key, value] of Object.entries(body.details)) {
      const list = Array.isArray(value) ? value : [value];
      const messages = list.map(detailMessage).filter((m): m is string => m !== null);
      if (messages.length > 0) fields[FIELD_ALIASES[key] ?? key] = messages;
    }
  }
  if (status === 422 && fieldHint !== undefined && Object.keys(fields).length === 0) {
    fields[fieldHint] = [message];
  }
  return new ApiError(status, code, message, fields);
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 404) return 'Not found.';
  if (status === 413) return 'That is too large.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `Request failed (${status}).`;
}

/** The error for a request that never got an HTTP response. */
export function networkError(): ApiError {
  return new ApiError(0, 'network', 'Can’t reach the server. Check your connection and try again.');
}
