import type { KnownBlock } from './kit.js';

export interface ResponseMessage {
  response_type: 'ephemeral' | 'in_channel';
  replace_original: boolean;
  text: string;
  blocks?: KnownBlock[];
}

export type RespondFn = (msg: ResponseMessage) => Promise<unknown>;

export class ResponseUrlError extends Error {
  override name = 'ResponseUrlError';
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * Answers through a request's response_url, as Bolt's `respond` does, but from what docket
 * kept of the request: a request taken over after a crash has no Bolt context left. Slack
 * takes up to five answers per URL within 30 minutes, then refuses (404 expired_url/used_url).
 */
export function respondVia(url: string, timeoutMs = 5000): RespondFn {
  return async (msg) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg), signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok) return;
    let code = `http_${res.status}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (typeof body.error === 'string') code = body.error;
    } catch {
      // a plain-text or empty error body: the status says enough
    }
    throw new ResponseUrlError(code);
  };
}
