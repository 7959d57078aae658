import { describe, expect, it } from 'vitest';
import { type Assignment, byDeadlineDay } from './desk.js';

const story = (id: number, deadline: string | null): Assignment => ({
  id,
  title: `Story ${id}`,
  note: '',
  deadline,
  article: null,
  assignee: { userId: 1, name: 'Rui' },
  assignedBy: null,
  doneAt: null,
  createdAt: '2026-03-01T08:00:00Z',
});

describe('the planning list', () => {
  it('groups stories by the day of their deadline in the newsroom’s zone, in order, undated last', () => {
    const days = byDeadlineDay(
      [
        story(1, '2026-03-02T22:30:00Z'), // already 3 March in Riga
        story(2, null),
        story(3, '2026-03-02T09:00:00Z'),
        story(4, '2026-03-02T07:00:00Z'),
      ],
      'Europe/Riga',
    );
    expect(days.map((day) => [day.day, day.assignments.map((a) => a.id)])).toEqual([
      ['2026-03-02', [4, 3]],
      ['2026-03-03', [1]],
      ['', [2]],
    ]);
  });
});
