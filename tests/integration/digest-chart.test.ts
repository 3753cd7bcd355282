import { Resvg } from '@resvg/resvg-js';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { CHART_FONT, CHART_SIZE, chartRasterOptions, digestChartAlt, digestChartFigures, digestChartSvg, renderDigestChart, type DigestChartFigures } from '../../src/features/digest/chart.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';
import { useHarness } from '../helpers/harness.js';
import { sh } from '../helpers/reminders.js';

// Thursday 2026-12-03 10:00 in Shanghai (+08:00): the chart covers 2026-01 … 2026-12.
const clock = new ManualClock(sh('2026-12-03T10:00'));
const h = useHarness({ clock, group: true });

async function open(text: string): Promise<string> {
  const r = await h.command(`/case open ${text}`);
  const ref = /GZ-\d{4}-\d{3}/.exec(r.text)?.[0];
  if (!ref) throw new Error(r.text);
  return ref;
}

async function close(ref: string, outcome: string, when: string) {
  const ask = await h.command(`/case close ${ref} ${outcome} ${when}`);
  const confirm = ask.reply!.args.blocks[1].elements[0];
  const r = await h.click(confirm.action_id, confirm.value);
  if (!r.text.includes('Closed')) throw new Error(r.text);
}

/** A PNG's signature, its IHDR and its pixels (8-bit RGB or RGBA, unfiltered), read by the PNG specification. */
function readPng(png: Buffer): { width: number; height: number; channels: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colour] = [png[24], png[25]];
  expect(depth).toBe(8);
  expect([2, 6]).toContain(colour);
  const channels = colour === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter!]!;
      pixels[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Pixels darker than light grey in a rectangle: what was drawn there. */
function ink(img: ReturnType<typeof readPng>, box: { x: number; y: number; w: number; h: number }): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const i = (y * img.width + x) * img.channels;
      if (img.pixels[i]! < 160 && img.pixels[i + 1]! < 160 && img.pixels[i + 2]! < 160) n++;
    }
  }
  return n;
}

/** One character drawn alone, as the chart draws its text: its family, the same fonts. */
const glyph = (ch: string) =>
  new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><text x="4" y="32" font-family="${CHART_FONT.replaceAll("'", '&apos;')}" font-size="32">${ch}</text></svg>`, chartRasterOptions).render().pixels;

const figures: DigestChartFigures = {
  openByMonth: ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((mm, i) => ({ month: `2026-${mm}`, open: [3, 3, 2, 1, 1, 2, 2, 2, 2, 2, 3, 2][i]! })),
  closuresByYear: [
    { year: 2023, closed: 1 },
    { year: 2024, closed: 0 },
    { year: 2025, closed: 1 },
    { year: 2026, closed: 3 },
  ],
};

describe('the digest’s chart', () => {
  it('counts open cases at each local month’s end over 12 months, and closures per local year, from the ledger’s dates', async () => {
    const group = await h.db.selectFrom('groups').selectAll().executeTakeFirstOrThrow();
    const none = await digestChartFigures(h.db, group, clock.now());
    expect(none.openByMonth.map((x) => x.month)).toEqual(figures.openByMonth.map((x) => x.month));
    expect(none.openByMonth.every((x) => x.open === 0)).toBe(true);
    expect(none.closuresByYear).toEqual([]);

    const a = await open('Zhou, fled 2003 opened:2024-03-01 since:2003-05-01');
    const b = await open('Qian, fled 2011 opened:2024-04-01');
    const c = await open('Sun, fled 2016 opened:2024-05-01');
    const e = await open('Wu, fled 2020 opened:2025-12-31');
    const d = await open('Li, fled 2019 opened:2026-11-30');
    await open('Zheng, fled 2021 opened:2026-06-15');
    const g = await open('Wang, fled 2001 opened:2022-01-01');
    await close(a, 'returned', '2025-06-01');
    // 23:30 on 31 March in Shanghai: closed by March's end (15:30 UTC, so by UTC too).
    await close(b, 'surrendered', '2026-03-31 23:30');
    // 00:30 on 1 April in Shanghai is still 31 March in UTC: open at March's end, closed by April's.
    await close(e, 'returned', '2026-04-01 00:30');
    await close(c, 'returned', '2026-12-02');
    // New Year's morning in Shanghai, still 2022 in UTC: a closure of 2023.
    await close(g, 'returned', '2023-01-01 07:00');
    expect(d).toBe('GZ-2026-001');

    const f = await digestChartFigures(h.db, group, clock.now());
    expect(f).toEqual(figures);
    // The current month is counted at `at`: the digest's own "open cases".
    expect(f.openByMonth.at(-1)).toEqual({ month: '2026-12', open: 2 });

    // A year on, the first months drop out and the years reach the new one.
    const later = await digestChartFigures(h.db, group, sh('2027-02-01T09:00'));
    expect(later.openByMonth.map((x) => `${x.month} ${x.open}`)).toEqual([
      ...['2026-03 2', '2026-04 1', '2026-05 1', '2026-06 2', '2026-07 2', '2026-08 2', '2026-09 2', '2026-10 2', '2026-11 3', '2026-12 2'],
      ...['2027-01 2', '2027-02 2'],
    ]);
    expect(later.closuresByYear.at(-1)).toEqual({ year: 2027, closed: 0 });
  });

  it('is a PNG of the configured size, with its numbers as text in the reader’s language', async () => {
    const { png, alt } = await renderDigestChart(figures, en);
    const img = readPng(png);
    expect([img.width, img.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    expect(alt).toBe(
      'Chart. Open cases at the end of each month from 2026-01 to 2026-12 (this month: now): 2026-01: 3, 2026-02: 3, 2026-03: 2, 2026-04: 1, 2026-05: 1, 2026-06: 2, 2026-07: 2, 2026-08: 2, 2026-09: 2, 2026-10: 2, 2026-11: 3, 2026-12: 2. Cases closed per year: 2023: 1, 2024: 0, 2025: 1, 2026: 3.',
    );
    const zh = await renderDigestChart(figures, zhCN);
    expect(zh.alt).toBe(
      '图表。2026-01 至 2026-12 各月底在办案件（本月为当前）：2026-01：3 件、2026-02：3 件、2026-03：2 件、2026-04：1 件、2026-05：1 件、2026-06：2 件、2026-07：2 件、2026-08：2 件、2026-09：2 件、2026-10：2 件、2026-11：3 件、2026-12：2 件。每年办结案件：2023：1 件、2024：0 件、2025：1 件、2026：3 件。',
    );
    expect((await renderDigestChart({ openByMonth: figures.openByMonth, closuresByYear: [] }, en)).alt).toMatch(/Cases closed per year: none\.$/);
    // Slack refuses an alt_txt over 1,000 characters: a century of closures is cut to fit.
    const century = digestChartAlt({ openByMonth: figures.openByMonth, closuresByYear: Array.from({ length: 100 }, (_, i) => ({ year: 1927 + i, closed: i })) }, zhCN);
    expect(century).toHaveLength(1000);
    expect(century.startsWith(zh.alt.slice(0, 100))).toBe(true);
  });

  it('draws Chinese labels as glyphs, not as boxes for missing ones', async () => {
    // Each character of a title drawn alone looks like itself: a font without it draws every one as the same box.
    const title = [...zhCN.digestChartOpenTitle];
    const drawn = title.map(glyph);
    expect(new Set(drawn.map((p) => p.toString('base64'))).size).toBe(new Set(title).size);
    // The check itself: characters no font has come out all alike.
    const missing = [0x10fff0, 0x10fff1, 0x10fff2].map((cp) => glyph(String.fromCodePoint(cp)));
    expect(new Set(missing.map((p) => p.toString('base64'))).size).toBe(1);

    // In the chart: the titles in Chinese, in the family that has them, and ink in the title's corner unlike the English one's.
    const svg = await digestChartSvg(figures, zhCN);
    for (const text of [zhCN.digestChartOpenTitle, zhCN.digestChartClosedTitle, zhCN.digestChartCases]) expect(svg).toContain(`>${text}</text>`);
    expect(svg).toContain(`font-family="${CHART_FONT}"`);
    const zh = readPng((await renderDigestChart(figures, zhCN)).png);
    const enImg = readPng((await renderDigestChart(figures, en)).png);
    const titleBox = { x: 0, y: 0, w: 360, h: 50 };
    expect(ink(zh, titleBox)).toBeGreaterThan(200);
    expect(zh.pixels.subarray(0, titleBox.h * zh.width * zh.channels).equals(enImg.pixels.subarray(0, titleBox.h * enImg.width * enImg.channels))).toBe(false);
  });
});
