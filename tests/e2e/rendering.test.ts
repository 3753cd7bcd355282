import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_BOT_TOKEN } from '../../src/config.js';
import { launchBrowser, message, openAs, pageProblems, shot } from '../helpers/browser.js';
import { LocalApp } from '../helpers/local-app.js';

/**
 * Block Kit and mrkdwn as the page draws them, and messages that arrive while the page is
 * open. Messages are posted through the fake's Web API with the bot's token, exactly as a
 * job (a reminder, a digest) posts them.
 */
let app: LocalApp;
let browser: Browser;
const actions: Record<string, any>[] = [];
beforeAll(async () => {
  [app, browser] = await Promise.all([LocalApp.start(), launchBrowser()]);
  // Listeners for the gallery's elements, as a later feature would register them.
  app.docket.bolt.action(/^g\./, async ({ ack, body }) => {
    await ack();
    actions.push(body as Record<string, any>);
  });
  app.docket.registrations.declare('button', [/^g\./]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});
beforeEach(async () => {
  await app.reset();
  actions.length = 0;
});

async function postAsBot(args: Record<string, unknown>): Promise<Record<string, any>> {
  const form = new URLSearchParams(Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const res = await fetch(`${app.url}/api/chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${LOCAL_BOT_TOKEN}` }, body: form });
  return (await res.json()) as Record<string, any>;
}

const md = (text: string) => ({ type: 'mrkdwn', text });
const pt = (text: string) => ({ type: 'plain_text', text, emoji: true });

const gallery = () => [
  { type: 'header', text: pt('Weekly digest :mega:') },
  {
    type: 'section',
    text: md('*bold* _italic_ ~gone~ `code` <https://example.org/a?b=1&amp;c=2|a link> <@U0BAO> <#C0RANDOM> <!here> 1 &lt; 2 &amp; 3\n• first\n• second\n> quoted\n```\nx = *not bold*\n```'),
    accessory: { type: 'button', action_id: 'g.more', text: pt('More'), value: 'm' },
  },
  { type: 'section', fields: [md('*Open*\n3'), md('*Closed*\n5')] },
  { type: 'context', elements: [md('_updated_ 09:00'), { type: 'image', image_url: `${app.url}/assets/icon.svg`, alt_text: 'docket' }] },
  { type: 'divider' },
  { type: 'image', image_url: `${app.url}/assets/icon.svg`, alt_text: 'a logo', title: pt('Logo') },
  {
    type: 'actions',
    elements: [
      { type: 'button', action_id: 'g.go', text: pt('Go'), style: 'primary', value: 'go' },
      { type: 'button', action_id: 'g.stop', text: pt('Stop'), style: 'danger', value: 'stop', confirm: { title: pt('Sure?'), text: md('Really *stop*?'), confirm: pt('Yes'), deny: pt('No') } },
      { type: 'static_select', action_id: 'g.pick', placeholder: pt('Pick'), options: [{ text: pt('One'), value: '1' }, { text: pt('Two'), value: '2' }] },
    ],
  },
];

async function galleryMessage(page: Page) {
  const r = await postAsBot({ channel: 'C0GROUP', text: 'digest', blocks: gallery() });
  expect(r.ok).toBe(true);
  return message(page, 'Weekly digest');
}

describe('what the page draws', () => {
  it('shows a message posted later (by a job, say) without reloading', async () => {
    const page = await openAs(browser, app.url, 'alice');
    await postAsBot({ channel: 'C0GROUP', text: 'Reminder: *3* items are due today.' });
    const m = await message(page, 'Reminder: 3 items are due today.');
    expect(await m.locator('b').textContent()).toBe('3');
    await postAsBot({ channel: 'C0GROUP', text: ':zzz: #3: reminders paused until Friday. :no_such_emoji:' });
    await message(page, '💤 #3: reminders paused until Friday. :no_such_emoji:');
    await postAsBot({ channel: 'U0ALICE', text: 'A direct message for you' });
    await page.locator('#dms a.unread').waitFor();
    await page.locator('#dms a').click();
    await message(page, 'A direct message for you');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('draws each block docket uses, and mrkdwn, the way Slack does', async () => {
    const page = await openAs(browser, app.url, 'alice');
    const m = await galleryMessage(page);
    expect(await m.locator('h3.header').textContent()).toBe('Weekly digest 📣');
    const text = m.locator('.block.section .text').first();
    expect(await text.locator('b').first().textContent()).toBe('bold');
    expect(await text.locator('i').first().textContent()).toBe('italic');
    expect(await text.locator('s').textContent()).toBe('gone');
    expect(await text.locator('code').textContent()).toBe('code');
    expect(await text.locator('a').getAttribute('href')).toBe('https://example.org/a?b=1&c=2');
    expect(await text.locator('a').textContent()).toBe('a link');
    expect(await text.locator('.mention').allTextContents()).toEqual(['@bao', '#random', '@here']);
    expect(await text.textContent()).toContain('1 < 2 & 3');
    expect(await text.textContent()).toContain('• first');
    expect(await text.locator('blockquote').textContent()).toBe('quoted');
    expect(await text.locator('pre').textContent()).toBe('x = *not bold*\n');
    expect(await m.locator('.block.section .accessory button').textContent()).toBe('More');
    expect(await m.locator('.field').allTextContents()).toEqual(['Open3', 'Closed5']);
    expect(await m.locator('.block.context img').getAttribute('alt')).toBe('docket');
    await expect.poll(() => m.locator('hr.divider').count()).toBe(1);
    expect(await m.locator('figure.image img').getAttribute('alt')).toBe('a logo');
    expect(await m.locator('button.primary').textContent()).toBe('Go');
    expect(await m.locator('button.danger').textContent()).toBe('Stop');
    expect(await m.locator('select option').allTextContents()).toEqual(['Pick', 'One', 'Two']);
    await shot(page, 'rendering-gallery');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('asks a button’s confirm question first, and sends the pick of a select as block_actions', async () => {
    const page = await openAs(browser, app.url, 'alice');
    const m = await galleryMessage(page);
    await m.locator('button.danger').click();
    const dialog = page.locator('.confirm');
    expect(await dialog.locator('#confirm-title').textContent()).toBe('Sure?');
    expect(await dialog.locator('b').textContent()).toBe('stop');
    await dialog.getByRole('button', { name: 'No' }).click();
    await dialog.waitFor({ state: 'detached' });

    await m.locator('select').selectOption('2');
    await expect.poll(() => actions.length).toBe(1);
    const pick = actions[0]!;
    expect(pick.actions[0]).toMatchObject({ action_id: 'g.pick', type: 'static_select', selected_option: { text: pt('Two'), value: '2' } });
    // A public message comes back to the app with the click, as in Slack.
    expect(pick.container).toMatchObject({ type: 'message', channel_id: 'C0GROUP', is_ephemeral: false });
    expect(pick.message.text).toBe('digest');

    await m.locator('button.danger').click();
    await dialog.getByRole('button', { name: 'Yes' }).click();
    await expect.poll(() => actions.length).toBe(2);
    expect(actions[1]!.actions[0]).toMatchObject({ action_id: 'g.stop', value: 'stop', style: 'danger' });
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('shows nothing the fake refused, as Slack would show nothing', async () => {
    const page = await openAs(browser, app.url, 'alice');
    const r = await postAsBot({ channel: 'C0GROUP', text: 'bad', blocks: [{ type: 'header', text: md('*not allowed*') }] });
    expect(r).toMatchObject({ ok: false, error: 'invalid_blocks' });
    await postAsBot({ channel: 'C0GROUP', text: 'after the refused one' });
    await message(page, 'after the refused one');
    expect(await page.locator('#messages').textContent()).not.toContain('not allowed');
    // The developer hears of it, with Slack's reasons.
    expect(await page.locator('#refused').textContent()).toContain("Slack refused docket's chat.postMessage: invalid_blocks (blocks[0].text: must be plain_text)");
    await page.close();
  });
});
