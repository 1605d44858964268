/** Composer logic: the word being typed for autocomplete, and drafts kept across reloads. */

/** The @mention or #topic under the caret. */
export interface Token {
  kind: 'mention' | 'tag';
  /** What has been typed after the sigil. */
  query: string;
  /** Index of the sigil. */
  start: number;
  /** Index just past the word. */
  end: number;
}

/** Counts characters as the server does: by code point, so an emoji is one. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/**
 * The @mention or #topic the caret is in, if any: the sigil must start the text or
 * follow whitespace or an opening bracket, so `bob@example.com` is no mention.
 */
export function tokenAt(text: string, caret: number): Token | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s([{])([@#])([\p{L}\p{N}_]*)$/u.exec(before);
  if (!match) return null;
  const sigil = match[2] ?? '';
  const query = match[3] ?? '';
  const start = caret - query.length - 1;
  const rest = /^[\p{L}\p{N}_]*/u.exec(text.slice(caret))?.[0] ?? '';
  return { kind: sigil === '@' ? 'mention' : 'tag', query, start, end: caret + rest.length };
}

/** Replaces the token with the chosen suggestion plus a space; returns the text and the new caret. */
export function applySuggestion(text: string, token: Token, value: string): { text: string; caret: number } {
  const sigil = token.kind === 'mention' ? '@' : '#';
  const inserted = `${sigil}${value} `;
  const after = text.slice(token.end).replace(/^ /, '');
  return { text: text.slice(0, token.start) + inserted + after, caret: token.start + inserted.length };
}

/** A saved draft: text and options. */
export interface Draft {
  text: string;
  communityId: string;
  question: boolean;
}

/** Where a composer keeps its draft. */
export function draftKey(scope: string): string {
  return `hubbub.draft.${scope}`;
}

/** Reads a draft (or null) from storage, tolerating junk. */
export function loadDraft(storage: Pick<Storage, 'getItem'> | null, scope: string): Draft | null {
  try {
    const raw = storage?.getItem(draftKey(scope));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Draft>;
    if (typeof parsed.text !== 'string') return null;
    return { text: parsed.text, communityId: typeof parsed.communityId === 'string' ? parsed.communityId : '', question: parsed.question === true };
  } catch {
    return null;
  }
}

/** Saves a draft, or removes it once it is empty. */
export function saveDraft(storage: Pick<Storage, 'setItem' | 'removeItem'> | null, scope: string, draft: Draft): void {
  try {
    if (draft.text.trim() === '') storage?.removeItem(draftKey(scope));
    else storage?.setItem(draftKey(scope), JSON.stringify(draft));
  } catch {
    // Storage may be full or refused; the draft then lasts for this page only.
  }
}
