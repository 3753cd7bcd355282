import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExpressReceiverOptions } from '@slack/bolt';
import { messagesFor, type Messages } from '../i18n/index.js';
import type { Logger } from '../logger.js';

/**
 * The pages a person installing docket sees after Slack sends them back to
 * `/slack/oauth_redirect`: done, or why not, in their browser's language. Bolt's own pages are
 * English only and name its error codes.
 */
type CallbackOptions = NonNullable<NonNullable<ExpressReceiverOptions['installerOptions']>['callbackOptions']>;

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The browser's first language (capped: a header is input like any other). */
function readerOf(req: IncomingMessage): { m: Messages; lang: string } {
  const first = String(req.headers['accept-language'] ?? '').slice(0, 200).split(',')[0]?.split(';')[0]?.trim();
  const m = messagesFor(first);
  return { m, lang: m === messagesFor('zh-CN') ? 'zh-CN' : 'en' };
}

function page(res: ServerResponse, status: number, lang: string, title: string, body: string, link: { href: string; text: string }): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  res.end(
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${html(title)}</title>` +
      `<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>` +
      `<body><h1>${html(title)}</h1><p>${html(body)}</p><p><a href="${html(link.href)}">${html(link.text)}</a></p></body></html>`,
  );
}

/** Error codes of @slack/oauth for a state that is missing, wrong or not this browser's, or a redirect without its code. */
const STATE_ERRORS = new Set(['slack_oauth_missing_state', 'slack_oauth_invalid_state', 'slack_oauth_missing_code']);

export function installPages(log: Logger, installPath: string): CallbackOptions {
  return {
    success: (installation, _options, req, res) => {
      const { m, lang } = readerOf(req);
      const team = installation.team?.id ?? '';
      page(res, 200, lang, m.installDoneTitle, m.installDone, { href: `https://app.slack.com/client/${encodeURIComponent(team)}`, text: m.installOpenSlack });
    },
    failure: (error, _options, req, res) => {
      const { m, lang } = readerOf(req);
      const cancelled = new URL(req.url ?? '/', 'http://docket').searchParams.get('error') === 'access_denied';
      const slackCode = (error as { data?: { error?: unknown } }).data?.error;
      const code = typeof slackCode === 'string' ? slackCode : error.code;
      const why = STATE_ERRORS.has(error.code) ? 'state' : cancelled ? 'cancelled' : error.code === 'org_install_not_supported' ? 'org_install' : 'slack';
      // Codes only: never the code or state of the request, nor a token.
      log.warn({ why, code: code.slice(0, 100) }, 'install failed');
      page(res, why === 'slack' ? 502 : 400, lang, m.installFailedTitle, m.installFailed(why, code.slice(0, 100)), { href: installPath, text: m.installAgain });
    },
  };
}
