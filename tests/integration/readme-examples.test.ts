import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCurrency } from '../../src/domain/money.js';
import { en } from '../../src/i18n/en.js';
import { DemoClient, runDemo } from '../../src/local/demo/driver.js';
import type { DemoUser } from '../../src/local/demo/scenario.js';
import { LocalApp } from '../helpers/local-app.js';

/**
 * The README and docs/*.md as a newcomer reads them after `npm run demo`: every command they
 * give as a full example (not a usage line with placeholders) works on the demo's data, typed
 * in the order the text gives them; and every link stays inside the repository.
 */
const DOCS = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Example {
  where: string;
  text: string;
  as: string;
  click: string[];
}

/** A usage line rather than an example: [optional] or a|b parts, "…", or a placeholder word (REF, N; CNY is a currency, not one). */
function isUsage(code: string): boolean {
  return /[[\]|…]/.test(code) || code.split(/\s+/).some((w) => /^#?[A-Z]+$/.test(w) && !isCurrency(w));
}

/** Words of a shell line, with "quoted words" kept whole. */
const shellWords = (line: string) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

/** The examples of one file, in order: `npm run say -- "…"` lines in code blocks, slash commands in `code` elsewhere. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: { line: number; example: Omit<Example, 'where'> }[] = [];
  let fenced = false;
  // Outside code blocks, a span may wrap across lines: read the prose with fences blanked out.
  const prose = lines.map((l) => {
    if (l.startsWith('```')) {
      fenced = !fenced;
      return '';
    }
    if (fenced) {
      const say = /^npm run say -- (.*)$/.exec(l.replace(/\s+#.*$/, ''));
      if (say) {
        const { values, positionals } = parseArgs({
          args: shellWords(say[1]!),
          allowPositionals: true,
          options: { user: { type: 'string', default: 'alice' }, channel: { type: 'string' }, click: { type: 'string', multiple: true, default: [] } },
        });
        // Every example runs in #fugitive-recovery, where the demo is.
        if (values.channel) throw new Error(`${file}: an example in #${values.channel}: teach this test that channel`);
        found.push({ line: lines.indexOf(l), example: { text: positionals.join(' '), as: values.user, click: values.click } });
      }
      return '';
    }
    return l;
  });
  const text = prose.join('\n');
  for (const m of text.matchAll(/`([^`]+)`/g)) {
    const code = m[1]!.replace(/\s+/g, ' ').trim();
    if (!/^\/(case|action|docket|meeting)\b/.test(code) || isUsage(code)) continue;
    found.push({ line: text.slice(0, m.index).split('\n').length - 1, example: { text: code, as: 'alice', click: [] } });
  }
  return found.sort((a, b) => a.line - b.line).map((f) => ({ where: `${file}:${f.line + 1}`, ...f.example }));
}

let app: LocalApp;
beforeAll(async () => {
  app = await LocalApp.start();
  await runDemo(app.url);
});
afterAll(() => app?.stop());

describe('the README and docs', () => {
  it('give only examples that work on the demo data as written, in the order they give them', async () => {
    const examples = DOCS.flatMap(examplesOf);
    // The extraction itself: the README's terminal session and its inline examples are found.
    expect(examples.map((e) => e.text)).toEqual(expect.arrayContaining(['/action done 1', '/case money GZ-2019-001', '/docket help', '/action done 3', '/meeting next 1 5']));
    expect(examples.find((e) => e.click.length)?.click).toEqual(['Done']);
    const client = new DemoClient(app.url);
    await client.connect();
    const failures: string[] = [];
    for (const e of examples) {
      const from = app.logs.lines.length;
      const answer = await client.say(e.as as DemoUser, e.text);
      // A question (close this case?) is confirmed, as the reader would, unless the example says what to press.
      const asks = JSON.stringify(answer.reply?.blocks ?? []).includes(`"text":"${en.buttonConfirm}"`);
      const pressed: string[] = [];
      for (const label of e.click.length ? e.click : asks ? [en.buttonConfirm] : []) {
        await client.press(e.as as DemoUser, label).catch((err: Error) => pressed.push(err.message));
      }
      // A refusal is logged by its code (runHandler), and an error reply carries the usage line.
      const refused = app.logs.lines.slice(from).filter((l) => l.msg === 'refused' || l.msg === 'handler failed');
      const reply = answer.reply?.text ?? '';
      if (refused.length || pressed.length || /Usage:|用法：/.test(reply)) {
        failures.push(`${e.where} ${e.text} (as ${e.as}): ${[...refused.map((l) => l.code ?? l.msg), ...pressed].join(', ')}; ${reply}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('link only to files of the repository and its own headings', () => {
    const problems: string[] = [];
    for (const file of DOCS) {
      const text = readFileSync(file, 'utf8');
      const headings = new Set([...text.matchAll(/^#+ (.*)$/gm)].map((h) => h[1]!.toLowerCase().replace(/[^\p{L}\p{N} -]/gu, '').replace(/ /g, '-')));
      for (const [, target] of text.matchAll(/\]\(([^)]+)\)/g)) {
        if (target!.startsWith('#')) {
          if (!headings.has(target!.slice(1))) problems.push(`${file}: no heading ${target}`);
        } else if (/^https?:/.test(target!)) continue; // checked with every address below
        else if (/^[a-z]+:/i.test(target!)) problems.push(`${file}: links outside the repository: ${target}`);
        else if (!existsSync(path.join(path.dirname(file), target!.split('#')[0]!))) problems.push(`${file}: ${target} does not exist`);
      }
      // Addresses in the text: the local workspace only ("https://…" stands for your own).
      for (const [url] of text.matchAll(/https?:\/\/[^\s)`>]+/g)) {
        if (!/^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url) && !url.includes('…')) problems.push(`${file}: points outside the repository: ${url}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
