import { describe, expect, it } from 'vitest';
import { daysAsElapsed, parseStatsYear, yearsAtLargeBucket } from '../../src/domain/stats.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';
import type { GroupStats, YearFigures } from '../../src/services/stats.service.js';
import { statsMessage } from '../../src/slack/blocks/stats.js';

describe('the rules of the statistics', () => {
  it('reads a year as typed, in ASCII or full-width digits, with or without 年, and nothing else', () => {
    expect(['2021', '２０２１', '2021年'].map(parseStatsYear)).toEqual([2021, 2021, 2021]);
    expect(['20x6', '21', '20210', '1899', '3000', '-2021', ''].map(parseStatsYear)).toEqual(Array(7).fill(undefined));
  });

  it('buckets whole years at large with each boundary in the higher bucket', () => {
    expect([0, 0.99, 1, 1.5, 2, 4.99, 5, 9, 10, 23].map(yearsAtLargeBucket)).toEqual(['lt1', 'lt1', 'y1to2', 'y1to2', 'y2to5', 'y2to5', 'y5to10', 'y5to10', 'y10plus', 'y10plus']);
  });

  it('reads a median of days in days under two months, else in whole years and months', () => {
    expect(daysAsElapsed(5)).toEqual({ years: 0, months: 0, days: 5 });
    expect(daysAsElapsed(60.5)).toEqual({ years: 0, months: 0, days: 60 });
    expect(daysAsElapsed(61)).toEqual({ years: 0, months: 2, days: 0 });
    // Zhang: 2003-06-01 to 2019-09-22, 16 years 3 months 21 days.
    expect(daysAsElapsed(5957)).toEqual({ years: 16, months: 3, days: 0 });
    expect(daysAsElapsed(8401)).toEqual({ years: 23, months: 0, days: 0 });
  });
});

describe('the statistics reply', () => {
  const long = (i: number) => `<Region & ${i}>${'省'.repeat(48)}`;
  const year = (y: number | null): YearFigures => ({
    year: y,
    opened: 3,
    closed: [{ outcome: 'returned', count: 40 }],
    found: Array.from({ length: 40 }, (_, i) => ({ region: long(i), count: 1 })),
    money: Intl.supportedValuesOf('currency').slice(0, 60).map((currency) => ({ kind: 'recovered' as const, currency, total: '99999999999999.99', entries: 1 })),
    medianAtLarge: { days: 400, cases: 40 },
  });
  const huge: GroupStats = {
    years: Array.from({ length: 70 }, (_, i) => year(1950 + i)),
    total: year(null),
    open: { open: 80, cases: 3000, firstOpenedOn: '1950-01-01', openAtSince: null },
    openByUnit: Array.from({ length: 40 }, (_, i) => ({ unitId: i, unitName: long(i), count: 2 })),
    openByYearsAtLarge: [{ bucket: 'y10plus', count: 80 }],
  };

  it('stays within Slack’s limits for any ledger: 50 blocks, 3000 characters a section, names escaped', () => {
    for (const m of [en, zhCN]) {
      for (const y of [null, 2000]) {
        const msg = statsMessage('R&D <office>', huge, y, m);
        expect(msg.blocks!.length).toBeLessThanOrEqual(50);
        for (const b of msg.blocks!) {
          const text = (b as { text: { text: string } }).text.text;
          expect(text.length).toBeLessThanOrEqual(3000);
          expect(text).not.toMatch(/<Region|R&D/);
        }
      }
    }
    const all = statsMessage('Office', huge, null, en).blocks!.map((b) => (b as { text: { text: string } }).text.text);
    expect(all[1]).toBe('25 earlier years are left out here: `/docket stats YEAR` shows one year.');
    expect(all[2]).toMatch(/^\*1975\*\n/);
    expect(all.join('\n')).toContain(', 28 more\n');
  });
});
