import { describe, expect, it } from 'vitest';
import { heldAfter, heldBefore, meetsAt, occurrenceOn, type Series } from '../../src/features/meetings/occurrences.js';
import { dateIn } from '../../src/domain/time.js';

const at = (iso: string) => new Date(iso);
// Tuesdays 09:30 in Shanghai (01:30Z); the 15th skipped, the 8th moved to Wednesday 14:00.
const series: Series = {
  meeting: { rule: 'FREQ=WEEKLY;BYDAY=TU', start_local: '2026-12-08T09:30', time_zone: 'Asia/Shanghai', cancelled_at: null },
  changes: [
    { occurrence: at('2026-12-15T01:30:00Z'), moved_to: null },
    { occurrence: at('2026-12-08T01:30:00Z'), moved_to: at('2026-12-09T06:00:00Z') },
  ],
};

describe('a series as it will be held', () => {
  it('leaves skipped meetings out and puts moved ones at their new time', () => {
    expect(heldAfter(series, at('2026-12-01T00:00Z'), 3).map((d) => d.toISOString())).toEqual(['2026-12-09T06:00:00.000Z', '2026-12-22T01:30:00.000Z', '2026-12-29T01:30:00.000Z']);
  });

  it('says whether it meets at an instant: not where it was skipped or moved from, yes where it was moved to', () => {
    expect(meetsAt(series, at('2026-12-08T01:30:00Z'))).toBe(false);
    expect(meetsAt(series, at('2026-12-15T01:30:00Z'))).toBe(false);
    expect(meetsAt(series, at('2026-12-09T06:00:00Z'))).toBe(true);
    expect(meetsAt(series, at('2026-12-22T01:30:00Z'))).toBe(true);
    expect(meetsAt(series, at('2026-12-22T01:31:00Z'))).toBe(false);
    expect(meetsAt({ ...series, meeting: { ...series.meeting, cancelled_at: at('2026-12-01T00:00Z') } }, at('2026-12-22T01:30:00Z'))).toBe(false);
  });

  it('finds the last meeting before a date as held, and the rule’s meeting on a local date', () => {
    expect(heldBefore(series, at('2026-12-22T01:30:00Z'))?.toISOString()).toBe('2026-12-09T06:00:00.000Z');
    expect(heldBefore(series, at('2026-12-09T06:00:00Z'))).toBeUndefined();
    const dateOf = (d: Date) => dateIn(d, 'Asia/Shanghai');
    expect(occurrenceOn(series, '2026-12-22', dateOf)?.toISOString()).toBe('2026-12-22T01:30:00.000Z');
    expect(occurrenceOn(series, '2026-12-23', dateOf)).toBeUndefined();
  });
});
