import { pino, type DestinationStream, type Logger } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type { Logger };

/** Slack tokens by their documented prefixes: bot, user, app-level, refresh, configuration. */
const SLACK_TOKEN = /\b(?:xox[abpoers]|xapp)-[A-Za-z0-9-]+/g;

/**
 * JSON logs. Callers log ids, codes and counts only: never message text, case fields or
 * tokens. The redact list is a second line of defence for objects that slip through, and a
 * Slack token anywhere in a line (an error's message, a URL) is blanked as it is written.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'docket' },
    hooks: { streamWrite: (line: string) => line.replace(SLACK_TOKEN, '[redacted]') },
    redact: {
      paths: [
        '*.token',
        '*.botToken',
        '*.appToken',
        '*.signingSecret',
        '*.clientSecret',
        '*.stateSecret',
        '*.tokenKeys',
        '*.authorization',
        'headers.authorization',
        '*.text',
        '*.title',
        '*.subject',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

const boltToPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/**
 * Bolt's logger interface on top of pino. Bolt's own debug output can include payloads, so
 * it is capped at info whatever LOG_LEVEL says.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const write = (fn: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    child[fn](msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  };
  return {
    debug: () => undefined,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => {
      level = l === LogLevel.DEBUG ? LogLevel.INFO : l;
      child.level = boltToPino[level];
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
