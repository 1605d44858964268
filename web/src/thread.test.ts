import { describe, expect, it } from 'vitest';
import type { Status } from './api/types';
import { threadRows, upsert } from './thread';

const post = (id: string, parent: string | null = null) => ({ id, in_reply_to_id: parent }) as unknown as Status;

describe('thread layout', () => {
  it('puts replies under their parent, siblings oldest first', () => {
    const rows = threadRows([post('1'), post('5', '1'), post('3', '1'), post('4', '3')]);
    expect(rows.map((r) => [r.status.id, r.depth])).toEqual([
      ['1', 0],
      ['3', 1],
      ['4', 2],
      ['5', 1],
    ]);
  });

  it('keeps posts whose parent is not visible instead of dropping them', () => {
    expect(threadRows([post('2', '1'), post('3', '2')]).map((r) => [r.status.id, r.depth])).toEqual([
      ['2', 0],
      ['3', 1],
    ]);
  });

  it('adds a live reply or replaces an edited one', () => {
    const list = [post('1'), post('2', '1')];
    expect(upsert(list, post('3', '1')).map((s) => s.id)).toEqual(['1', '2', '3']);
    const edited = { ...post('2', '1'), content: 'new' };
    expect(upsert(list, edited)[1]).toBe(edited);
  });
});
