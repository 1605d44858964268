import { describe, expect, it } from 'vitest';
import type { Notification } from './api/types';
import { groupNotifications, namesLabel } from './notifications';

const n = (id: string, type: string, who: string, statusId?: string, reaction?: string) =>
  ({ id, type, account: { id: who }, status: statusId ? { id: statusId } : null, hubbub_reaction: reaction }) as unknown as Notification;

describe('notification grouping', () => {
  it('groups likes and reactions on the same post into one row, keeping other types apart', () => {
    const groups = groupNotifications([
      n('9', 'hubbub.reaction', 'a', '100', 'thanks'),
      n('8', 'mention', 'b', '101'),
      n('7', 'favourite', 'c', '100'),
      n('6', 'hubbub.reaction', 'a', '100', 'same_here'),
      n('5', 'favourite', 'c', '102'),
    ]);
    expect(groups.map((g) => [g.id, g.type, g.accounts.map((a) => a.id), g.reactions])).toEqual([
      ['9', 'reaction', ['a', 'c'], ['thanks', 'favourite', 'same_here']],
      ['8', 'mention', ['b'], []],
      ['5', 'reaction', ['c'], ['favourite']],
    ]);
  });

  it('names who did it briefly', () => {
    expect(namesLabel([])).toBe('Someone');
    expect(namesLabel(['Ann'])).toBe('Ann');
    expect(namesLabel(['Ann', 'Bo'])).toBe('Ann and Bo');
    expect(namesLabel(['Ann', 'Bo', 'Cy'])).toBe('Ann and 2 others');
  });
});
