import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientWords } from '../../src/local/web/client-words.js';

/**
 * The local workspace page's own modules (browser JavaScript, type-checked by their own
 * tsconfig), loaded by URL since this project's compiler does not read JavaScript. The
 * shapes below are the parts these tests use.
 */
type Labels = Record<string, string | ((...args: any[]) => string)> & { lang: string; send: string };
type LabelsModule = { en: Labels; zh: Labels; labelsFor(locale: string | undefined): Labels };
type MrkdwnModule = {
  EMOJI: Record<string, string>;
  mrkdwnToHtml(text: string, names: { userName(id: string): string | undefined; channelName(id: string): string | undefined }): string;
  plainToHtml(t: { text: string; emoji?: boolean }): string;
};
const pageModule = (file: string) => import(new URL(`../../src/local/web/public/${file}`, import.meta.url).href);
const { en, zh, labelsFor }: LabelsModule = await pageModule('labels.js');
const { EMOJI, mrkdwnToHtml, plainToHtml }: MrkdwnModule = await pageModule('mrkdwn.js');
const names = { userName: () => undefined, channelName: () => undefined };

/** Every `:shortcode:` in docket's wording and blocks, where docket's Slack text is written. */
function shortcodesDocketSends(): Map<string, string> {
  const found = new Map<string, string>();
  const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
  for (const file of ['src/features', 'src/i18n', 'src/slack/blocks', 'commands'].flatMap(files)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?<=[\s`'"(]):([a-z][a-z0-9_+-]*):(?!\w)/g)) found.set(m[1]!, file);
  }
  return found;
}

describe('the local workspace page draws emoji as Slack does', () => {
  it('has a character for every shortcode docket sends', () => {
    const used = shortcodesDocketSends();
    // The scan itself works: these are known to be there.
    expect([...used.keys()]).toEqual(expect.arrayContaining(['zzz', 'alarm_clock', 'warning', 'white_check_mark', 'pushpin']));
    const missing = [...used].filter(([name]) => !Object.hasOwn(EMOJI, name)).map(([name, file]) => `:${name}: (${file})`);
    expect(missing, 'add these to EMOJI in src/local/web/public/mrkdwn.js').toEqual([]);
  });

  it('turns :zzz: into 💤 in mrkdwn and plain_text, and leaves unknown shortcodes as text', () => {
    expect(mrkdwnToHtml(':zzz: #3: reminders paused until *Friday*.', names)).toBe('💤 #3: reminders paused until <b>Friday</b>.');
    expect(plainToHtml({ text: ':alarm_clock: Due' })).toBe('⏰ Due');
    expect(plainToHtml({ text: ':zzz:', emoji: false })).toBe(':zzz:');
    expect(mrkdwnToHtml(':no_such_emoji: :constructor: 10:30:00 `:zzz:`', names)).toBe(':no_such_emoji: :constructor: 10:30:00 <code>:zzz:</code>');
  });
});

describe('the local workspace page’s own labels', () => {
  it('follow the acting person’s Slack locale: Chinese for any zh locale, English otherwise', () => {
    expect(labelsFor('zh-CN').send).toBe('发送');
    expect(labelsFor('zh-TW')).toBe(zh);
    expect(labelsFor('en-GB').send).toBe('Send');
    expect(labelsFor(undefined)).toBe(en);
  });

  it('exist in Chinese for every English label, with Chinese punctuation, the Slack client’s own words too', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(clientWords('zh-CN')).sort()).toEqual(Object.keys(clientWords('en-US')).sort());
    expect(clientWords('zh-CN')).not.toBe(clientWords('en-US'));
    for (const [key, label] of [...Object.entries(zh), ...Object.entries(clientWords('zh-CN'))]) {
      const text: string = typeof label === 'function' ? (label as (...args: unknown[]) => string)('m', 'e', ['p']) : label;
      // Commands are quoted as typed; the rest uses ，。：；（）.
      const prose = text.replace(/<code>.*?<\/code>|\/\w+ [@\w]+/g, '');
      expect(prose, key).not.toMatch(/[,.:;()!?]/);
    }
  });
});
