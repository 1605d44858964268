import { describe, expect, it } from 'vitest';
import { applySuggestion, characterCount, loadDraft, saveDraft, tokenAt } from './composer';

describe('composer parsing', () => {
  it('counts an emoji as one character', () => {
    expect(characterCount('hi 👋')).toBe(4);
  });

  it('finds the mention or topic under the caret', () => {
    expect(tokenAt('hello @al', 9)).toEqual({ kind: 'mention', query: 'al', start: 6, end: 9 });
    expect(tokenAt('#vp', 3)).toEqual({ kind: 'tag', query: 'vp', start: 0, end: 3 });
    expect(tokenAt('see (#help', 10)).toEqual({ kind: 'tag', query: 'help', start: 5, end: 10 });
    // The caret in the middle of a word: the whole word is replaced.
    expect(tokenAt('@alice hi', 3)).toEqual({ kind: 'mention', query: 'al', start: 0, end: 6 });
    expect(tokenAt('@', 1)).toEqual({ kind: 'mention', query: '', start: 0, end: 1 });
  });

  it('ignores email addresses, plain words and words after the caret', () => {
    expect(tokenAt('mail bob@example', 16)).toBeNull();
    expect(tokenAt('plain text', 10)).toBeNull();
    expect(tokenAt('@alice and more', 15)).toBeNull();
  });

  it('inserts the chosen suggestion with one trailing space', () => {
    const text = 'ask @al about it';
    const token = tokenAt(text, 7);
    expect(token).not.toBeNull();
    if (!token) return;
    expect(applySuggestion(text, token, 'alice')).toEqual({ text: 'ask @alice about it', caret: 11 });
    const tag = tokenAt('#vp', 3);
    if (!tag) return;
    expect(applySuggestion('#vp', tag, 'vpn')).toEqual({ text: '#vpn ', caret: 5 });
  });
});

describe('drafts', () => {
  function memory() {
    const data = new Map<string, string>();
    return {
      data,
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => {
        data.set(k, v);
      },
      removeItem: (k: string) => {
        data.delete(k);
      },
    };
  }

  it('keeps a draft across reloads and forgets it once posted', () => {
    const storage = memory();
    saveDraft(storage, 'home', { text: 'half a thought', communityId: '7', question: true });
    expect(loadDraft(storage, 'home')).toEqual({ text: 'half a thought', communityId: '7', question: true });
    saveDraft(storage, 'home', { text: '  ', communityId: '', question: false });
    expect(loadDraft(storage, 'home')).toBeNull();
  });

  it('tolerates junk in storage', () => {
    const storage = memory();
    storage.data.set('hubbub.draft.home', '{not json');
    expect(loadDraft(storage, 'home')).toBeNull();
    storage.data.set('hubbub.draft.home', JSON.stringify({ text: 5 }));
    expect(loadDraft(storage, 'home')).toBeNull();
    expect(loadDraft(null, 'home')).toBeNull();
  });
});
