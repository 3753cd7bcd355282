import type { Request, Response } from 'express';

/**
 * Files in the fake Slack, the way Slack takes them today: `files.getUploadURLExternal` hands
 * out an upload URL and a file id for a declared length; the bytes are POSTed there (raw, or as
 * multipart form data); `files.completeUploadExternal` shares the uploaded files, which until
 * then exist nowhere. A file's `url_private_download` answers only with the bot token (without
 * it, like Slack, a sign-in page with status 200: a client that does not check gets HTML).
 */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  filetype: string;
  mimetype: string;
  size: number;
  user: string;
  created: number;
  channels: string[];
  bytes: Buffer;
}

interface PendingUpload {
  id: string;
  filename: string;
  length: number;
  bytes?: Buffer;
}

/** Slack's cap on alt_txt (files.getUploadURLExternal: alt_txt_too_large). */
const ALT_TXT_MAX = 1000;

const TYPES: Record<string, [string, string]> = {
  csv: ['csv', 'text/csv'],
  txt: ['text', 'text/plain'],
  png: ['png', 'image/png'],
  svg: ['svg', 'image/svg+xml'],
  json: ['json', 'application/json'],
};

function typeOf(name: string): [string, string] {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? ['binary', 'application/octet-stream'];
}

export class FakeFiles {
  readonly files = new Map<string, FakeFile>();
  private readonly pending = new Map<string, PendingUpload>();
  private counter = 0;

  constructor(private readonly base: () => string) {}

  private nextId(): string {
    return `F0FAKE${String(++this.counter).padStart(5, '0')}`;
  }

  /** files.getUploadURLExternal: `length` is required and counted in bytes; 0 is Slack's missing_argument. */
  getUploadUrl(args: Record<string, any>): Record<string, any> {
    const filename = typeof args.filename === 'string' ? args.filename : '';
    if (!filename || args.length === undefined || args.length === '') return { ok: false, error: 'invalid_arguments' };
    const length = Number(args.length);
    if (!Number.isInteger(length) || length < 0) return { ok: false, error: 'invalid_arguments' };
    if (length === 0) return { ok: false, error: 'missing_argument' };
    if (typeof args.alt_txt === 'string' && [...args.alt_txt].length > ALT_TXT_MAX) return { ok: false, error: 'alt_txt_too_large' };
    const id = this.nextId();
    this.pending.set(id, { id, filename, length });
    return { ok: true, upload_url: `${this.base()}/_fake/upload/${id}`, file_id: id };
  }

  /**
   * The upload URL: the bytes, raw or as the (first) file of a multipart form. Slack answers 200
   * when it took them; here a body whose size is not the declared length is refused, so a client
   * that counts characters instead of bytes (Chinese text, a BOM) fails in tests as it would.
   */
  async receive(req: Request, res: Response): Promise<{ ok: boolean; error?: string; id: string; bytes?: number }> {
    const id = String(req.params.id);
    const upload = this.pending.get(id);
    if (!upload) {
      res.status(404).type('text/plain').send('Not Found');
      return { ok: false, error: 'unknown_upload', id };
    }
    let bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new globalThis.Response(new Uint8Array(bytes), { headers: { 'content-type': type } }).formData().catch(() => undefined);
      const file = form ? [...form.values()].find((v) => typeof v !== 'string') : undefined;
      if (!file || typeof file === 'string') {
        res.status(400).type('text/plain').send('no file in form');
        return { ok: false, error: 'no_file', id };
      }
      bytes = Buffer.from(await file.arrayBuffer());
    }
    if (bytes.length !== upload.length) {
      res.status(400).type('text/plain').send(`length mismatch: declared ${upload.length}, received ${bytes.length}`);
      return { ok: false, error: 'length_mismatch', id, bytes: bytes.length };
    }
    upload.bytes = bytes;
    res.status(200).type('text/plain').send(`OK - ${bytes.length}`);
    return { ok: true, id, bytes: bytes.length };
  }

  /**
   * files.completeUploadExternal: every id must have been uploaded (its bytes received); the
   * files then exist, shared in `channel` when one is given (private otherwise).
   */
  complete(args: Record<string, any>, user: string, channel: string | undefined): { ok: false; error: string } | { ok: true; files: FakeFile[] } {
    const list = args.files;
    if (!Array.isArray(list) || list.length === 0 || list.length > 10) return { ok: false, error: 'invalid_arguments' };
    const ids: { id: string; title?: string }[] = [];
    for (const f of list) {
      if (!f || typeof f !== 'object' || typeof f.id !== 'string') return { ok: false, error: 'invalid_arguments' };
      const p = this.pending.get(f.id);
      if (!p?.bytes) return { ok: false, error: 'file_not_found' };
      ids.push({ id: f.id, ...(typeof f.title === 'string' ? { title: f.title } : {}) });
    }
    const made = ids.map(({ id, title }) => {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      return this.add({ id, name: p.filename, title: title ?? p.filename, user, channel, bytes: p.bytes! });
    });
    return { ok: true, files: made };
  }

  /** A file someone shared in a channel (a test, the local page): it exists at once. */
  share(o: { name: string; user: string; channel: string; bytes: Buffer; title?: string }): FakeFile {
    return this.add({ id: this.nextId(), ...o, title: o.title ?? o.name });
  }

  private add(o: { id: string; name: string; title: string; user: string; channel: string | undefined; bytes: Buffer }): FakeFile {
    const [filetype, mimetype] = typeOf(o.name);
    const file: FakeFile = { id: o.id, name: o.name, title: o.title, filetype, mimetype, size: o.bytes.length, user: o.user, created: Math.floor(Date.now() / 1000) + this.counter / 1e6, channels: o.channel ? [o.channel] : [], bytes: o.bytes };
    this.files.set(file.id, file);
    return file;
  }

  /** A file as the Web API describes it (no bytes: those come from url_private_download). */
  describe(f: FakeFile): Record<string, any> {
    const url = `${this.base()}/_fake/files-pri/${f.id}/${encodeURIComponent(f.name)}`;
    return {
      id: f.id,
      created: Math.floor(f.created),
      timestamp: Math.floor(f.created),
      name: f.name,
      title: f.title,
      mimetype: f.mimetype,
      filetype: f.filetype,
      user: f.user,
      size: f.size,
      mode: 'hosted',
      is_external: false,
      url_private: url,
      url_private_download: `${url}?download=1`,
      channels: f.channels.filter((c) => c.startsWith('C')),
      groups: f.channels.filter((c) => c.startsWith('G')),
      ims: f.channels.filter((c) => c.startsWith('D')),
    };
  }

  info(args: Record<string, any>): Record<string, any> {
    const f = typeof args.file === 'string' ? this.files.get(args.file) : undefined;
    if (!f) return { ok: false, error: 'file_not_found' };
    return { ok: true, file: this.describe(f) };
  }

  /** files.list: newest first, filtered by channel and user, `count` per page (Slack's default 100). */
  list(args: Record<string, any>): Record<string, any> {
    const count = Math.max(1, Math.min(1000, Number(args.count ?? 100) || 100));
    const found = [...this.files.values()]
      .filter((f) => (!args.channel || f.channels.includes(args.channel)) && (!args.user || f.user === args.user))
      .sort((a, b) => b.created - a.created);
    return { ok: true, files: found.slice(0, count).map((f) => this.describe(f)), paging: { count, total: found.length, page: 1, pages: Math.max(1, Math.ceil(found.length / count)) } };
  }

  /** url_private(_download): the bytes for the bot token; Slack's sign-in page (HTML, 200) for anyone else. */
  download(req: Request, res: Response, token: string): void {
    const f = this.files.get(String(req.params.id));
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.status(200).type('text/html').send('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      return;
    }
    if (!f) {
      res.status(404).type('text/plain').send('Not Found');
      return;
    }
    res.status(200).type(f.mimetype).set('content-length', String(f.bytes.length)).send(f.bytes);
  }
}
