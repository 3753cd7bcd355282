import type { ResvgRenderOptions } from '@resvg/resvg-js';
import { sql } from 'kysely';
import type { TopLevelSpec } from 'vega-lite';
import type { Executor } from '../../db/database.js';
import type { Group } from '../../db/groups.table.js';
import type { Messages } from '../../i18n/index.js';

/** What the digest's chart shows, read from the ledger. */
export interface DigestChartFigures {
  /**
   * The last 12 local months, oldest first (YYYY-MM): cases open at each month's end, by the
   * ledger's dates. The current month's value is at `at`, so it agrees with the digest's text.
   */
  openByMonth: { month: string; open: number }[];
  /** Closures per local year of `closed_at`, from the first year with one to `at`'s year, years without one as 0. */
  closuresByYear: { year: number; closed: number }[];
}

/**
 * The chart's figures for a group at `at`. Open at a month's end means what the digest's "open
 * cases" means: opened on or before that day and not closed by then.
 */
export async function digestChartFigures(db: Executor, g: Group, at: Date): Promise<DigestChartFigures> {
  const zone = g.time_zone;
  const [months, years] = await Promise.all([
    // Each month's end is the first instant of the next month in the zone; the current month ends at `at`.
    sql<{ month: string; open: number }>`
      with now as (select ${at}::timestamptz as at, (${at}::timestamptz at time zone ${zone}) as local),
      months as (
        select s.month,
               least((s.month + interval '1 month') at time zone ${zone}, now.at) as until_at,
               least((s.month + interval '1 month')::date - 1, now.local::date) as until_on
          from now, generate_series(date_trunc('month', now.local) - interval '11 months', date_trunc('month', now.local), interval '1 month') as s(month)
      )
      select to_char(m.month, 'YYYY-MM') as month, count(c.id)::int as open
        from months m
        left join cases c on c.group_id = ${g.id} and c.opened_on <= m.until_on and (c.closed_at is null or c.closed_at > m.until_at)
       group by m.month order by m.month`.execute(db),
    sql<{ year: number; closed: number }>`
      with closed as (
        select extract(year from closed_at at time zone ${zone})::int as year from cases
         where group_id = ${g.id} and status = 'closed' and closed_at <= ${at}::timestamptz
      )
      select y.year, count(c.year)::int as closed
        from generate_series((select min(year) from closed), extract(year from ${at}::timestamptz at time zone ${zone})::int) as y(year)
        left join closed c on c.year = y.year
       group by y.year order by y.year`.execute(db),
  ]);
  return { openByMonth: months.rows, closuresByYear: years.rows };
}

/** Families that exist where docket runs (the Docker image installs WenQuanYi Micro Hei): Chinese needs a CJK font. */
export const CHART_FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'DejaVu Sans', sans-serif";
/** A size Slack shows whole in a channel, in pixels. */
export const CHART_SIZE = { width: 800, height: 400 } as const;
/** Slack refuses a longer `alt_txt` (files.getUploadURLExternal: `alt_txt_too_large`); a long history of closures must not break the upload. */
const ALT_MAX = 1000;

/** How the SVG becomes pixels: the system's fonts, so the CJK family named in the SVG is found. */
export const chartRasterOptions: ResvgRenderOptions = {
  font: { loadSystemFonts: true, defaultFontFamily: 'WenQuanYi Micro Hei', sansSerifFamily: 'WenQuanYi Micro Hei' },
  background: 'white',
};

function chartSpec(f: DigestChartFigures, m: Messages): TopLevelSpec {
  const cases = { title: m.digestChartCases, axis: { tickMinStep: 1, format: 'd' } };
  return {
    background: 'white',
    padding: 16,
    config: { font: CHART_FONT, view: { stroke: null }, title: { fontSize: 16, anchor: 'start' }, axis: { labelFontSize: 12, titleFontSize: 12 } },
    hconcat: [
      {
        title: m.digestChartOpenTitle,
        width: 420,
        height: 260,
        data: { values: f.openByMonth },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'month', type: 'ordinal', sort: null, title: m.digestChartMonth, axis: { labelAngle: -45 } },
          y: { field: 'open', type: 'quantitative', scale: { domainMin: 0 }, ...cases },
        },
      },
      {
        title: m.digestChartClosedTitle,
        width: 200,
        height: 260,
        data: { values: f.closuresByYear.map((c) => ({ year: String(c.year), closed: c.closed })) },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'year', type: 'ordinal', sort: null, title: m.digestChartYear, axis: { labelAngle: 0 } },
          y: { field: 'closed', type: 'quantitative', scale: { domainMin: 0 }, ...cases },
        },
      },
    ],
  };
}

/** The chart's numbers as text, for screen readers and where the image is not shown. */
export function digestChartAlt(f: DigestChartFigures, m: Messages): string {
  const months = m.list(f.openByMonth.map((x) => m.digestChartPoint(x.month, x.open)));
  const years = f.closuresByYear.length ? m.list(f.closuresByYear.map((x) => m.digestChartPoint(String(x.year), x.closed))) : m.digestNone;
  const alt = m.digestChartAlt(f.openByMonth[0]?.month ?? '', f.openByMonth.at(-1)?.month ?? '', months, years);
  return alt.length > ALT_MAX ? `${alt.slice(0, ALT_MAX - 1)}…` : alt;
}

/**
 * The digest's chart as SVG of CHART_SIZE, in the reader's language: open cases at each
 * month's end (a line) beside closures per year (bars). Vega-Lite lays it out (text widths
 * estimated, there being no canvas). The libraries load on first use: only the process that
 * posts digests needs them.
 */
export async function digestChartSvg(f: DigestChartFigures, m: Messages): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new vega.View(vega.parse(vl.compile(chartSpec(f, m)).spec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  // Vega sizes the SVG to its content; the fixed size scales it to fit (the viewBox keeps its proportions).
  const sized = svg.replace(/^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/, `<svg$1 width="${CHART_SIZE.width}" height="${CHART_SIZE.height}"`);
  if (sized === svg) throw new Error('vega’s SVG has no width and height to set');
  return sized;
}

/** The chart as a PNG (resvg, with the system's fonts) and its text alternative. */
export async function renderDigestChart(f: DigestChartFigures, m: Messages): Promise<{ png: Buffer; alt: string }> {
  const [svg, { Resvg }] = await Promise.all([digestChartSvg(f, m), import('@resvg/resvg-js')]);
  return { png: new Resvg(svg, chartRasterOptions).render().asPng(), alt: digestChartAlt(f, m) };
}
