/**
 * The weekly digest and `/docket stats` over a large ledger (issue 11).
 * - 1,000 groups in 10 zones (196 of them children of 20 parents), 8 units each, 50,000 cases
 *   opened over 10 years (~60% closed with outcome, date and region, 10% supervised), 100,000
 *   money entries, 500,000 action items (open, done, cancelled; due ±120 days around now) and
 *   2,000,000 timeline entries (closes and reopens among notes and status changes, spread over
 *   the cases' lives, a few in the last weeks), loaded with generate_series, then ANALYZE.
 * - Every group's digest text (digestLines) built once, one after another, against a floor of
 *   one indexed count of the group's cases run the same way.
 * - Every group's `/docket stats` (groupStats and statsMessage), same floor.
 * - The chart of a few groups (figures read and PNG drawn): CPU-bound, reported on its own line
 *   and not part of the 1,000-group total.
 * - Every query one group's digest and stats send, EXPLAINed: any Seq Scan on the ledger's
 *   large tables is reported.
 * Targets: all 1,000 digests under 30 s, one digest p99 under 50 ms, stats p99 under 100 ms.
 */
import os from 'node:os';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import { createDb, createPool } from '../src/db/connect.js';
import type { Database, Db } from '../src/db/database.js';
import type { Group } from '../src/db/groups.table.js';
import { digestChartFigures, renderDigestChart } from '../src/features/digest/chart.js';
import { digestLines } from '../src/features/digest/content.js';
import { en } from '../src/i18n/en.js';
import { groupStats } from '../src/services/stats.service.js';
import { statsMessage } from '../src/slack/blocks/stats.js';
import { benchDatabase, flag } from './lib/env.js';
import { fmt, ratio, runLine, stats, writeSection, type Stats } from './lib/report.js';

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo', 'UTC'];
/** The tables a digest or the statistics must never read whole. */
const LARGE = ['cases', 'action_items', 'audit_events', 'money_entries'];

async function load(db: Db, groups: number, now: Date): Promise<void> {
  const cases = groups * 50;
  await sql`
    insert into groups (id, team_id, channel_id, name, case_prefix, time_zone, currency, created_by, parent_group_id)
    select g, 'TBENCH', 'C' || g, 'Group ' || g, 'G' || g, (${ZONES}::text[])[1 + g % ${ZONES.length}], (array['CNY', 'USD', 'EUR'])[1 + g % 3], 'U',
           case when g > 20 and g % 5 = 0 then 1 + g % 20 end
      from generate_series(1, ${groups}::int) g`.execute(db);
  await sql`select setval('groups_id_seq', ${groups}::int)`.execute(db);
  await sql`
    insert into units (id, team_id, group_id, name)
    select (g - 1) * 8 + k, 'TBENCH', g, 'Unit ' || k from generate_series(1, ${groups}::int) g, generate_series(1, 8) k`.execute(db);
  await sql`select setval('units_id_seq', ${groups * 8}::int)`.execute(db);
  // Cases: opened over the 10 years before now; closed ones at a point between opening and now.
  await sql`
    with x as (
      select c, 1 + (c - 1) % ${groups}::int as g, date '2016-12-04' + (c * 7919) % 3650 as opened, (c::bigint * 104729) % 100 < 60 as closed
        from generate_series(1, ${cases}::int) c
    ), y as (
      select x.*, case when closed then opened::timestamptz + (${now}::timestamptz - opened::timestamptz) * (((c * 31) % 997 + 1) / 998.0) end as closed_at from x
    )
    insert into cases (id, team_id, group_id, ref, year, seq, title, origin_unit_id, opened_on, at_large_since, supervisor_user_id,
                       status, outcome, status_changed_at, in_custody_at, closed_at, found_region, created_by)
    select c, 'TBENCH', g, 'G' || g || '-' || c, extract(year from opened)::int, c, 'Case ' || c,
           case when c % 9 <> 0 then (g - 1) * 8 + 1 + c % 8 end, opened, case when c % 3 = 0 then opened - c % 200 end,
           case when c % 10 = 0 then 'USUP' || c % 30 end,
           case when closed then 'closed' else (array['open', 'located', 'in_custody', 'on_hold'])[1 + c % 4] end,
           case when closed then (array['returned', 'surrendered', 'deceased', 'withdrawn', 'other'])[1 + c % 5] end,
           coalesce(closed_at, opened::timestamptz),
           case when closed and c % 5 = 0 then closed_at - interval '2 days' end,
           closed_at,
           case when closed and c % 4 <> 0 then (array['Guangdong', 'Zhejiang', 'Beijing', 'Shanghai', 'Sichuan', 'Overseas'])[1 + c % 6] end,
           'U'
      from y`.execute(db);
  await sql`select setval('cases_id_seq', ${cases}::int)`.execute(db);
  await sql`
    insert into money_entries (team_id, case_id, kind, amount, currency, occurred_on, correction, created_by)
    select 'TBENCH', c.id, (array['involved', 'frozen', 'recovered'])[1 + m % 3],
           case when m % 50 = 0 then -(m % 1000) - 1 else 100 + (m * 37) % 100000 end, g.currency,
           least(c.opened_on + m % 300, (${now}::timestamptz at time zone 'UTC')::date), m % 50 = 0, 'U'
      from generate_series(1, ${cases * 2}::int) m
      join cases c on c.id = 1 + (m - 1) % ${cases}::int
      join groups g on g.id = c.group_id`.execute(db);
  await sql`
    insert into action_items (id, team_id, group_id, seq, case_id, text, owner_user_id, owner_unit_id, due_at, state, closed_at, closed_by, created_by)
    select i, 'TBENCH', c.group_id, i, c.id, 'Item ' || i,
           case when i % 2 = 0 then 'U' || i % 40 end, case when i % 2 = 1 then (c.group_id - 1) * 8 + 1 + i % 8 end,
           ${now}::timestamptz + ((i::bigint * 7919) % 240 - 120)::int * interval '1 day' + (i % 24) * interval '1 hour',
           case when i % 20 < 10 then 'open' when i % 20 < 17 then 'done' else 'cancelled' end,
           case when i % 20 >= 10 then ${now}::timestamptz - (i % 300) * interval '1 day' end,
           case when i % 20 >= 10 then 'U' end, 'U'
      from generate_series(1, ${cases * 10}::int) i
      join cases c on c.id = 1 + (i - 1) % ${cases}::int`.execute(db);
  await sql`select setval('action_items_id_seq', ${cases * 10}::int)`.execute(db);
  // 40 entries per case: opened; for every 7th case a close and a reopen early in its life;
  // the final close; five entries in the last three weeks; notes and status changes between.
  await sql`
    with e as (
      select e, c.*, (e - 1) / ${cases}::int as k, coalesce(c.closed_at, ${now}::timestamptz) - c.opened_on::timestamptz as span
        from generate_series(1, ${cases * 40}::int) e
        join cases c on c.id = 1 + (e - 1) % ${cases}::int
    ), t as (
      select e.*,
             case when k = 0 then 'case.opened'
                  when k = 39 and status = 'closed' then 'case.closed'
                  when k = 1 and id % 7 = 0 then 'case.closed'
                  when k = 2 and id % 7 = 0 then 'case.reopened'
                  when k % 5 = 0 then 'case.status'
                  else 'case.note' end as kind,
             case when k = 0 then opened_on::timestamptz
                  when k = 39 and status = 'closed' then closed_at
                  when k = 1 and id % 7 = 0 then opened_on::timestamptz + span * 0.3
                  when k = 2 and id % 7 = 0 then opened_on::timestamptz + span * 0.4
                  when k between 30 and 34 then greatest(opened_on::timestamptz, least(coalesce(closed_at, ${now}::timestamptz), ${now}::timestamptz - (e % 21) * interval '1 day' - (e % 24) * interval '1 hour'))
                  else opened_on::timestamptz + span * (k / 40.0) + (e % 600) * interval '1 minute' end as at
        from e
    )
    insert into audit_events (team_id, group_id, case_id, actor_user_id, kind, at, recorded_at, before, after)
    select 'TBENCH', group_id, id, 'U' || e % 40, kind, at, at,
           case kind when 'case.closed' then '{"status": "open"}'::jsonb
                     when 'case.reopened' then '{"status": "closed", "outcome": "other"}'::jsonb
                     when 'case.status' then '{"status": "open"}'::jsonb end,
           case kind when 'case.opened' then jsonb_build_object('ref', ref, 'plan', null, 'supervisor_user_id', supervisor_user_id)
                     when 'case.closed' then jsonb_build_object('status', 'closed', 'outcome', coalesce(outcome, 'other'), 'note', null, 'at', at)
                     when 'case.reopened' then '{"status": "open", "reason": null}'::jsonb
                     when 'case.status' then jsonb_build_object('status', 'located', 'at', at)
                     else jsonb_build_object('text', 'Note ' || k || ' on the case') end
      from t order by e`.execute(db);
  await sql`analyze`.execute(db);
}

/** Runs fn for each item in turn (after a short warm-up): per-call samples and the total. */
async function eachOf<T>(items: T[], fn: (x: T) => Promise<unknown>): Promise<{ s: Stats; totalMs: number }> {
  for (const x of items.slice(0, 20)) await fn(x);
  const samples: number[] = [];
  const t0 = performance.now();
  for (const x of items) {
    const t = performance.now();
    await fn(x);
    samples.push(performance.now() - t);
  }
  return { s: stats(samples), totalMs: performance.now() - t0 };
}

interface PlanCheck {
  query: string;
  seqScans: string[];
  indexes: string[];
}

/** Every node of a JSON plan. */
function nodes(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(nodes)];
}

/** EXPLAINs each query (not run): which large tables it reads whole, which indexes it uses. */
async function checkPlans(db: Db, queries: CompiledQuery[]): Promise<PlanCheck[]> {
  const seen = new Set<string>();
  const out: PlanCheck[] = [];
  for (const q of queries) {
    if (seen.has(q.sql)) continue;
    seen.add(q.sql);
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: Record<string, unknown> }] }>({ ...q, sql: `explain (format json) ${q.sql}` });
    const all = nodes(rows[0]!['QUERY PLAN'][0].Plan);
    out.push({
      query: q.sql.replace(/\s+/g, ' ').trim(),
      seqScans: [...new Set(all.filter((n) => n['Node Type'] === 'Seq Scan' && LARGE.includes(n['Relation Name'] as string)).map((n) => n['Relation Name'] as string))],
      indexes: [...new Set(all.map((n) => n['Index Name'] as string | undefined).filter((x): x is string => !!x))],
    });
  }
  return out;
}

export default async function run(flags: string[]): Promise<void> {
  const groups = Number(flag(flags, 'groups', '1000'));
  const charts = Number(flag(flags, 'charts', '5'));
  const loadAvg = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const now = new Date('2026-12-03T02:00:00Z');
  const week = { from: new Date(now.getTime() - 7 * 86_400_000), to: now };
  const { url, db } = await benchDatabase();
  try {
    const t0 = performance.now();
    // Loading 2,000,000 rows in one statement takes longer than the pool's statement timeout.
    const loader = createDb(url, { max: 1, statementTimeoutMs: 0 });
    await load(loader, groups, now).finally(() => loader.destroy());
    const loadMs = performance.now() - t0;
    const counts = await sql<{ t: string; n: number }>`
      select 'cases' as t, count(*)::int as n from cases union all select 'money', count(*)::int from money_entries
      union all select 'items', count(*)::int from action_items union all select 'events', count(*)::int from audit_events`.execute(db);
    const n = Object.fromEntries(counts.rows.map((r) => [r.t, r.n]));
    console.log(`loaded in ${(loadMs / 1000).toFixed(0)} s: ${JSON.stringify(n)}`);
    const all: Group[] = await db.selectFrom('groups').selectAll().orderBy('id').execute();

    const floor = await eachOf(all, (g) => sql`select count(*)::int from cases where group_id = ${g.id}`.execute(db));
    let lines = 0;
    const digest = await eachOf(all, async (g) => {
      lines += (await digestLines(db, g, week, en)).length;
    });
    lines = Math.round(lines / (all.length + 20));
    const statsRun = await eachOf(all, async (g) => statsMessage(g.name, await groupStats(db, g, now), null, en));
    console.log(`digest ×${all.length}: total ${fmt(digest.totalMs)}, p50 ${fmt(digest.s.p50)} p99 ${fmt(digest.s.p99)}; stats p50 ${fmt(statsRun.s.p50)} p99 ${fmt(statsRun.s.p99)}; floor p99 ${fmt(floor.s.p99)}`);

    // The chart: figures read and drawn, a handful of groups (parents and children among them).
    const chartGroups = all.filter((g) => g.id % Math.max(1, Math.floor(all.length / charts)) === 1).slice(0, charts);
    await renderDigestChart(await digestChartFigures(db, chartGroups[0]!, now), en); // warm-up: fonts, Vega
    const chartSamples: number[] = [];
    for (const g of chartGroups) {
      const t = performance.now();
      await renderDigestChart(await digestChartFigures(db, g, now), en);
      chartSamples.push(performance.now() - t);
    }
    const chart = stats(chartSamples);
    console.log(`chart ×${chartGroups.length}: p50 ${fmt(chart.p50)} max ${fmt(chart.max)}`);

    // The plans: every query one parent group's digest, stats and chart send.
    const captured: CompiledQuery[] = [];
    const logged = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(url, { max: 4 }) }), log: (e) => void captured.push(e.query) });
    let plans: PlanCheck[];
    try {
      const parent = all.find((g) => g.id === 1)!;
      const child = all.find((g) => g.parent_group_id !== null);
      for (const g of child ? [parent, child] : [parent]) {
        await digestLines(logged, g, week, en);
        await groupStats(logged, g, now);
        await digestChartFigures(logged, g, now);
      }
      plans = await checkPlans(db, [...captured]);
    } finally {
      await logged.destroy();
    }
    const seq = plans.filter((p) => p.seqScans.length);
    for (const p of seq) console.log(`SEQ SCAN on ${p.seqScans.join(', ')}: ${p.query.slice(0, 200)}`);
    console.log(`${plans.length} distinct queries explained, ${seq.length} with a Seq Scan on ${LARGE.join('/')}`);
    const indexes = [...new Set(plans.flatMap((p) => p.indexes))].sort();

    const met = { total: digest.totalMs < 30_000, p99: digest.s.p99 < 50, stats: statsRun.s.p99 < 100, plans: seq.length === 0 };
    const yes = (b: boolean) => (b ? 'met' : '**NOT met**');
    const body = [
      runLine(),
      `Load average (1 / 5 / 15 min) at the start: ${loadAvg} on ${os.cpus().length} cores. Postgres on the same machine, pool of 4; one digest or stats at a time, each of its queries in parallel as the code sends them.`,
      `Ledger: ${all.length} groups in ${ZONES.length} zones (${all.filter((g) => g.parent_group_id !== null).length} children of 20 parents, so parents' digests carry the roll-up), ${all.length * 8} units, ${n.cases} cases opened over 10 years (~60% closed with outcome and date, every 7th closed and reopened once earlier, 10% supervised), ${n.money} money entries, ${n.items} action items (half open, due ±120 days around now), ${n.events} timeline entries; loaded with generate_series and ANALYZEd in ${(loadMs / 1000).toFixed(0)} s. 'now' fixed at ${now.toISOString()}; each digest covers the week before it. No meetings.`,
      '',
      '| what | docket | floor (count of the group\'s cases, same loop) | ratio |',
      '|---|---|---|---|',
      `| every group's digest text (digestLines), ${all.length} one after another, total | ${(digest.totalMs / 1000).toFixed(2)} s | ${fmt(floor.totalMs)} | ${ratio(digest.totalMs, floor.totalMs)} |`,
      `| one digest, p50 / p99 / max (~${lines} lines) | ${fmt(digest.s.p50)} / ${fmt(digest.s.p99)} / ${fmt(digest.s.max)} | ${fmt(floor.s.p50)} / ${fmt(floor.s.p99)} / ${fmt(floor.s.max)} | ${ratio(digest.s.p99, floor.s.p99)} |`,
      `| \`/docket stats\` (groupStats + statsMessage), p50 / p99 / max | ${fmt(statsRun.s.p50)} / ${fmt(statsRun.s.p99)} / ${fmt(statsRun.s.max)} | ${fmt(floor.s.p50)} / ${fmt(floor.s.p99)} / ${fmt(floor.s.max)} | ${ratio(statsRun.s.p99, floor.s.p99)} |`,
      `| the digest's chart (figures + Vega-Lite → SVG → PNG), ${chartGroups.length} groups, p50 / max | ${fmt(chart.p50)} / ${fmt(chart.max)} | — | — |`,
      '',
      `The chart is CPU-bound (drawing, not reading) and is not part of the ${all.length}-group total above; a digest run with charts adds about its p50 per group.`,
      '',
      `Query plans: the ${plans.length} distinct queries that a parent's and a child's digest, stats and chart send, EXPLAINed on this ledger. ${seq.length === 0 ? `None reads ${LARGE.join(', ')} with a Seq Scan.` : `Seq Scan on the large tables in: ${seq.map((p) => `\`${p.query.slice(0, 120)}…\` (${p.seqScans.join(', ')})`).join('; ')}.`} Indexes used: ${indexes.map((i) => `\`${i}\``).join(', ')}.`,
      '',
      `Targets (issue 11): all digests under 30 s: ${yes(met.total)}; one digest p99 under 50 ms: ${yes(met.p99)}; stats p99 under 100 ms: ${yes(met.stats)}; index use: ${yes(met.plans)}.`,
    ].join('\n');
    await writeSection('Digest and statistics over a large ledger', body);
  } finally {
    await db.destroy();
  }
}
