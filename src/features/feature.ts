import type { Render } from '../errors.js';
import type { OutboxKinds } from '../platform/outbox/kinds.js';
import type { ScheduleKinds } from '../platform/schedules/planner.js';
import type { Describe } from '../platform/timeline/timeline.js';
import type { Ctx, Deps, Effects, Submission } from '../slack/handler.js';
import type { FormMeta } from '../slack/blocks/case-modals.js';
import type { WebClient } from '../slack/kit.js';

/**
 * What a feature brings, as data: its slash commands (with their subcommands' usage lines),
 * buttons, forms and events, the kinds of message it posts through the outbox, its recurring
 * work, the timeline entries it writes, the pages it serves outside Slack, its wording, and the
 * Slack scopes it needs. The Bolt listeners, the edge's list of what docket answers, the HTTP
 * routes, the local workspace's command list, `/docket help`, the workers' kinds and the Slack
 * app manifest (`npm run manifest`) are all made from the list in ./index.ts. Adding a feature is its folder, its command modules, and one line there
 * (plus one in ./timeline.ts, which types its timeline entries, and one in each catalog of
 * src/i18n, which merge its wording).
 */
export interface SlashCommand<C extends { sub: string } = { sub: string }> {
  /** `/case`, as typed. */
  name: string;
  /** For the app manifest and `/docket help`: what the command is for, and how it is typed. */
  description: Render;
  usageHint: string;
  parse(text: string): C;
  handle(cmd: C, ctx: Ctx): Promise<Effects>;
  /** The usage line of a subcommand, added to any bad-input reply that lacks one. */
  usageOf(sub: string): Render;
  /**
   * The subcommands that answer in a direct message with docket: reads that span the reader's
   * groups or name their case. Any other, typed there, is answered with the reader's group
   * channels to run it in. Absent: `help` alone.
   */
  inDirectMessage?: readonly C['sub'][];
}

/** A button, by action id: gets its value (ids only, parsed, never trusted). */
export type ButtonHandler = (value: string, ctx: Ctx) => Promise<Effects>;

/** A form, by callback id: checks the submitted values before the ack, and says what to run after it. */
export type FormHandler = (values: Record<string, string | null>, meta: FormMeta, ctx: Ctx) => Promise<Submission>;

/** An Events API event the feature listens for (the boundary has deduplicated it by event id). */
export type EventHandler = (e: { teamId: string; event: Record<string, unknown>; botUserId: string | undefined; client: WebClient }, deps: Deps) => Promise<void>;

/** What a route answers; the app writes it out (features do not speak express). */
export interface HttpAnswer {
  status: number;
  headers?: Readonly<Record<string, string>>;
  body?: string;
}

/** A GET on docket's own HTTP server, by path in express's syntax (`/calendar/:token.ics`). */
export interface Route {
  path: string;
  /** The path's parameters as express decoded them: unchecked, of any length. */
  get(params: Readonly<Record<string, string | undefined>>, deps: Deps): Promise<HttpAnswer>;
}

export interface Feature {
  name: string;
  commands?: readonly SlashCommand<any>[];
  buttons?: Readonly<Record<string, ButtonHandler>>;
  forms?: Readonly<Record<string, FormHandler>>;
  events?: Readonly<Record<string, EventHandler>>;
  /** Pages it serves on docket's own server, outside Slack (the meetings' calendar feed). */
  routes?: readonly Route[];
  outbox?: OutboxKinds;
  schedules?: ScheduleKinds;
  /** Its wording in both languages (merged into the catalogs by src/i18n/en.ts and zh-CN.ts). */
  messages?: { en: object; 'zh-CN': object };
  /** The timeline entries it writes, each with its describer (their shapes: src/features/timeline.ts). */
  timeline?: Readonly<Record<string, Describe<any>>>;
  /** Bot token scopes its commands, posts and events need. */
  scopes?: readonly string[];
}

/** Every feature's pieces, merged; an id two features claim is a start-up error, not a silent override. */
export interface Surfaces {
  commands: ReadonlyMap<string, SlashCommand<any>>;
  buttons: ReadonlyMap<string, ButtonHandler>;
  forms: ReadonlyMap<string, FormHandler>;
  events: ReadonlyMap<string, EventHandler>;
  routes: ReadonlyMap<string, Route>;
  outbox: OutboxKinds;
  schedules: ScheduleKinds;
  timeline: ReadonlyMap<string, Describe<any>>;
  scopes: readonly string[];
}

export function compose(features: readonly Feature[]): Surfaces {
  const commands = new Map<string, SlashCommand<any>>();
  const buttons = new Map<string, ButtonHandler>();
  const forms = new Map<string, FormHandler>();
  const events = new Map<string, EventHandler>();
  const routes = new Map<string, Route>();
  const outbox: Record<string, OutboxKinds[string]> = {};
  const schedules: Record<string, ScheduleKinds[string]> = {};
  const timeline = new Map<string, Describe<any>>();
  // Catalogs merge flat: a key two features both define would silently take one's wording.
  const wording = new Map<string, string>();
  const scopes = new Set<string>();
  const add = <T>(what: string, into: Map<string, T> | Record<string, T>, entries: [string, T][], feature: string) => {
    for (const [id, value] of entries) {
      const taken = into instanceof Map ? into.has(id) : Object.hasOwn(into, id);
      if (taken) throw new Error(`feature ${feature}: ${what} ${id} is declared twice`);
      if (into instanceof Map) into.set(id, value);
      else into[id] = value;
    }
  };
  for (const f of features) {
    add('command', commands, (f.commands ?? []).map((c) => [c.name, c]), f.name);
    add('button', buttons, Object.entries(f.buttons ?? {}), f.name);
    add('form', forms, Object.entries(f.forms ?? {}), f.name);
    add('event', events, Object.entries(f.events ?? {}), f.name);
    add('route', routes, (f.routes ?? []).map((r) => [r.path, r]), f.name);
    add('outbox kind', outbox, Object.entries(f.outbox ?? {}), f.name);
    add('schedule kind', schedules, Object.entries(f.schedules ?? {}), f.name);
    add('timeline kind', timeline, Object.entries(f.timeline ?? {}), f.name);
    add('message', wording, Object.keys(f.messages?.en ?? {}).map((k) => [k, f.name]), f.name);
    for (const s of f.scopes ?? []) scopes.add(s);
  }
  return { commands, buttons, forms, events, routes, outbox, schedules, timeline, scopes: [...scopes].sort() };
}
