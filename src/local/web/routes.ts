import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { LocalWorkspace, Outcome } from './workspace.js';

/**
 * HTTP for the local workspace page: its static files, what one person sees, a stream of
 * "something changed" notices, and the things a person can do. None of these reach docket's
 * internals: the actions go through `LocalWorkspace`, which signs them and posts them to
 * /slack/events like Slack.
 */
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const ASSET = /^[a-z-]+\.(js|css|svg)$/;

const choice = z.union([z.string(), z.array(z.string()), z.null()]);
const values = z.record(z.string(), choice).default({});
const schemas = {
  command: z.object({ user: z.string(), channel: z.string(), text: z.string().max(40_000), wait: z.boolean().optional() }),
  action: z.object({
    user: z.string(),
    source: z.union([z.object({ channel: z.string(), ts: z.string() }), z.object({ viewId: z.string() })]),
    path: z.string(),
    choice: choice.default(null),
    values,
  }),
  submit: z.object({ user: z.string(), viewId: z.string(), values, wait: z.boolean().optional() }),
  close: z.object({ user: z.string(), viewId: z.string(), values }),
  home: z.object({ user: z.string() }),
};

/** A refusal (unknown command, form errors) is an answer the page shows, not an HTTP failure. */
function answer(res: Response, outcome: Outcome): void {
  res.json(outcome);
}

/** Parses the body against `schema`, or answers 400 and returns undefined. */
function body<T extends z.ZodType>(schema: T, req: Request, res: Response): z.infer<T> | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  res.status(400).json({ ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  return undefined;
}

export interface WorkspaceRoutes {
  router: Router;
  /** Ends the open event streams, so that the server can close. */
  close(): void;
}

export function workspaceRoutes(ws: LocalWorkspace): WorkspaceRoutes {
  const r = express.Router();
  const streams = new Set<Response>();

  r.get('/', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'index.html')));
  r.get('/assets/:file', (req, res) => {
    const file = String(req.params.file);
    if (!ASSET.test(file) || !existsSync(path.join(PUBLIC_DIR, file))) return void res.status(404).end();
    res.sendFile(path.join(PUBLIC_DIR, file), { headers: { 'cache-control': 'no-cache' } });
  });

  r.get('/_local/directory', (_req, res) => {
    const f = ws.fake;
    res.json({
      team: f.teamId,
      bot: { id: f.botUserId, name: 'docket' },
      users: [...f.users.values()],
      commands: [...ws.registrations.commands].sort(),
    });
  });

  r.get('/_local/view', (req, res) => {
    const user = ws.user(String(req.query.user ?? ''));
    if (!user) return void res.status(404).json({ ok: false, error: 'unknown user' });
    const channels = ws.channelsFor(user.id);
    const channel = String(req.query.channel ?? '');
    res.json({
      seq: ws.fake.calls.at(-1)?.seq ?? 0,
      channels: channels.map((c) => ({ id: c.id, name: c.name, im: !!c.is_im, botMember: !!c.bot_member, private: !!c.is_private })),
      counts: Object.fromEntries(channels.map((c) => [c.id, ws.visibleMessages(user.id, c.id).length])),
      messages: channel ? ws.visibleMessages(user.id, channel).map(({ ephemeralTo, ...m }) => ({ ...m, ephemeral: ephemeralTo !== undefined })) : [],
      modal: ws.modalOf(user.id),
      home: ws.fake.homes.get(user.id) ?? null,
      refused: ws.refused,
    });
  });

  r.get('/_local/events', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
  });

  const json = express.json({ limit: '1mb' });
  r.post('/_local/command', json, async (req, res) => {
    const b = body(schemas.command, req, res);
    if (b) answer(res, await ws.command(b.user, b.channel, b.text, { wait: b.wait ?? false }));
  });
  r.post('/_local/action', json, async (req, res) => {
    const b = body(schemas.action, req, res);
    if (b) answer(res, await ws.act(b.user, b.source, b.path, b.choice, b.values));
  });
  r.post('/_local/submit', json, async (req, res) => {
    const b = body(schemas.submit, req, res);
    if (b) answer(res, await ws.submit(b.user, b.viewId, b.values, { wait: b.wait ?? false }));
  });
  r.post('/_local/close', json, async (req, res) => {
    const b = body(schemas.close, req, res);
    if (b) answer(res, await ws.close(b.user, b.viewId, b.values));
  });
  r.post('/_local/home', json, async (req, res) => {
    const b = body(schemas.home, req, res);
    if (b) answer(res, await ws.openHome(b.user));
  });

  // Many calls come in bursts (a reply, two posts): one notice per tick is enough for the page.
  let pending = false;
  const notify = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      const seq = ws.fake.calls.at(-1)?.seq ?? 0;
      for (const s of streams) s.write(`event: change\ndata: ${JSON.stringify({ seq })}\n\n`);
    });
  };
  ws.on('change', notify);
  // Proxies and browsers drop a silent stream; a comment now and then keeps it open.
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, 20_000).unref();

  return {
    router: r,
    close() {
      clearInterval(heartbeat);
      ws.off('change', notify);
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}
