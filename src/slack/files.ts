import type { WebClient } from './kit.js';

/**
 * Files in and out of Slack. Uploads go the way Slack takes them today (files.upload is
 * retired): files.getUploadURLExternal for the byte length, a POST of the bytes to the URL it
 * gives, then files.completeUploadExternal to share the file in a channel. Downloads read a
 * file shared in a channel through its url_private_download, with the bot token, capped in size
 * before a byte is read.
 */

export interface Upload {
  channel: string;
  filename: string;
  title: string;
  bytes: Buffer;
  /** The message that introduces the file in the channel. */
  comment?: string;
  /** An image's description for screen readers (Slack: `alt_txt`, at most 1,000 characters). */
  alt?: string;
  threadTs?: string;
}

export class FileError extends Error {
  override name = 'FileError';
  constructor(readonly code: string) {
    super(code);
  }
}

const UPLOAD_TIMEOUT_MS = 30_000;

/** Uploads `bytes` and shares them in the channel; answers the new file's id. */
export async function uploadFile(client: WebClient, u: Upload): Promise<string> {
  // Slack counts the length in bytes (a Chinese character is three, a BOM three more).
  // Slack's argument is `alt_txt` (the SDK's typings call it alt_text, which Slack does not read).
  const started = await client.files.getUploadURLExternal({ filename: u.filename, length: u.bytes.length, ...(u.alt ? { alt_txt: [...u.alt].slice(0, 1000).join('') } : {}) } as Parameters<WebClient['files']['getUploadURLExternal']>[0]);
  if (!started.upload_url || !started.file_id) throw new FileError('no_upload_url');
  const res = await fetch(started.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(u.bytes),
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (!res.ok) throw new FileError(`upload_http_${res.status}`);
  await client.files.completeUploadExternal({
    files: [{ id: started.file_id, title: u.title }],
    channel_id: u.channel,
    ...(u.comment ? { initial_comment: u.comment } : {}),
    ...(u.threadTs ? { thread_ts: u.threadTs } : {}),
  } as Parameters<WebClient['files']['completeUploadExternal']>[0]);
  return started.file_id;
}

export interface SharedFile {
  id: string;
  name: string;
  size: number;
  filetype: string;
  /** The channels (public, private, direct) it was shared in. */
  channels: string[];
  user: string;
  created: number;
}

type RawFile = { id?: string; name?: string; size?: number; filetype?: string; channels?: string[]; groups?: string[]; ims?: string[]; user?: string; created?: number; url_private_download?: string };

function shared(f: RawFile): SharedFile {
  return {
    id: f.id ?? '',
    name: f.name ?? '',
    size: f.size ?? 0,
    filetype: f.filetype ?? '',
    channels: [...(f.channels ?? []), ...(f.groups ?? []), ...(f.ims ?? [])],
    user: f.user ?? '',
    created: f.created ?? 0,
  };
}

export const isCsv = (f: Pick<SharedFile, 'name' | 'filetype'>): boolean => f.filetype === 'csv' || /\.csv$/i.test(f.name);

/** The newest CSV file `user` shared in `channel` (files.list, newest first; needs files:read), if any. */
export async function latestCsvOf(client: WebClient, channel: string, user: string): Promise<SharedFile | undefined> {
  const res = await client.files.list({ channel, user, count: 20 });
  return ((res.files ?? []) as RawFile[]).map(shared).find(isCsv);
}

/** Where the bot token may be sent: Slack's file host, or the API's own host (a test's fake, local mode). */
function mayCarryToken(url: string, client: WebClient): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && (u.hostname === 'files.slack.com' || u.hostname.endsWith('.slack.com'))) return true;
    return u.origin === new URL(client.slackApiUrl).origin;
  } catch {
    return false;
  }
}

/**
 * A file's description and bytes, refused (FileError `too_large`) past `maxBytes`: by the size
 * Slack states before downloading, and by counting while reading, so a lying header cannot
 * make docket hold more. Slack answers a request without a valid token with its sign-in page
 * (HTML, status 200); that is refused too, rather than read as the file.
 */
export async function downloadFile(client: WebClient, fileId: string, maxBytes: number, check?: (f: SharedFile) => void): Promise<{ file: SharedFile; bytes: Buffer }> {
  const info = await client.files.info({ file: fileId });
  const raw = (info.file ?? {}) as RawFile;
  const file = shared(raw);
  // The caller's own refusal (not shared here, not a CSV) comes before a byte is fetched.
  check?.(file);
  if (file.size > maxBytes) throw new FileError('too_large');
  const url = raw.url_private_download;
  if (!url || !mayCarryToken(url, client)) throw new FileError('no_download_url');
  const res = await fetch(url, { headers: { authorization: `Bearer ${client.token ?? ''}` }, signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
  if (!res.ok || !res.body) throw new FileError(`download_http_${res.status}`);
  if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
    await res.body.cancel();
    throw new FileError('not_authorized');
  }
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body.cancel();
    throw new FileError('too_large');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new FileError('too_large');
    chunks.push(chunk);
  }
  return { file, bytes: Buffer.concat(chunks) };
}
