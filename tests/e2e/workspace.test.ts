import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { field, launchBrowser, message, modal, openAs, pageProblems, shot, type } from '../helpers/browser.js';
import { LocalApp } from '../helpers/local-app.js';

/**
 * A person using docket through the local workspace page in a real (headless) browser:
 * everything they do reaches docket as signed Slack requests, and everything they see is
 * what docket sent to the fake Slack.
 */
const refIn = (reply: string) => /GZ-\d{4}-\d{3}/.exec(reply)?.[0] ?? `no reference in: ${reply}`;

let app: LocalApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([LocalApp.start(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});
beforeEach(() => app.reset());

describe('the local workspace page', () => {
  it('sets up a group from the composer; the reply is only visible to the person who asked', async () => {
    const page = await openAs(browser, app.url, 'alice');
    await expect.poll(() => page.locator('#channels').textContent()).toContain('# fugitive-recovery');
    await expect.poll(() => page.locator('#dms').textContent()).toContain('docket');
    await expect.poll(() => page.locator('#apps').textContent()).toContain('Home');

    await type(page, '/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai announce:#announcements');
    const reply = await message(page, 'is set up in this channel');
    expect(await reply.locator('b').first().textContent()).toBe('Ganzi Office');
    await expect.poll(() => reply.locator('.only-you').count()).toBe(1);

    await type(page, '/docket members add @bao @carlos');
    const added = await message(page, 'Added');
    // @bao was sent as <@U0BAO|bao>, as Slack escapes mentions; the reply mentions them back.
    expect(await added.locator('.mention').allTextContents()).toEqual(['@bao', '@carlos']);
    await shot(page, 'workspace-01-setup');

    // Opening Home sends app_home_opened; docket answers by publishing alice's Home view.
    await page.locator('#apps a').click();
    await page.locator('.home').getByText('Your action items').waitFor();
    await page.locator('#channels a', { hasText: 'fugitive-recovery' }).click();
    await message(page, 'is set up in this channel');

    const bao = await openAs(browser, app.url, 'bao');
    await expect.poll(() => bao.locator('#messages').textContent()).not.toContain('is set up in this channel');
    expect([...pageProblems(page), ...pageProblems(bao)]).toEqual([]);
    await Promise.all([page.close(), bao.close()]);
  });

  it('opens a case through the form: errors show inline, typed values stay, then the card and its timeline', async () => {
    await app.setupGroup();
    const page = await openAs(browser, app.url, 'alice');
    await type(page, '/case open');
    const form = await modal(page, 'Open a case');
    await field(page, 'title').locator('input').fill('Zhang, fled 2003');
    await field(page, 'subject').locator('input').fill('张某某');
    await field(page, 'opened').locator('input').fill('2099-01-01');
    await field(page, 'amount').locator('input').fill('a lot');
    await form.locator('button.submit').click();

    await field(page, 'opened').locator('.error').waitFor();
    expect(await field(page, 'opened').locator('.error').textContent()).toBe('Opened on cannot be in the future.');
    expect(await field(page, 'amount').locator('.error').textContent()).toContain('“a lot” is not an amount');
    expect(await field(page, 'title').locator('input').inputValue()).toBe('Zhang, fled 2003');
    await shot(page, 'workspace-02-form-errors');

    await field(page, 'opened').locator('input').fill('2018-10-15');
    await field(page, 'since').locator('input').fill('2003-09-01');
    await field(page, 'amount').locator('input').fill('70,000');
    await field(page, 'unit').locator('select').selectOption({ label: 'Police' });
    await form.locator('button.submit').click();
    await form.waitFor({ state: 'detached' });

    await message(page, /Opened GZ-2018-001/);
    const post = await message(page, /opened GZ-2018-001/);
    await expect.poll(() => post.locator('.only-you').count()).toBe(0);
    await post.getByRole('button', { name: 'Show' }).click();

    const card = await message(page, 'GZ-2018-001 · Zhang, fled 2003');
    const fields = await card.locator('.field').allTextContents();
    expect(fields).toContain('Opened on2018-10-15');
    expect(fields).toContain('Origin unitPolice');
    expect(fields).toContain('Subject张某某');
    await expect.poll(() => card.textContent()).toContain('involved: CN¥70,000.00');
    await expect.poll(() => card.locator('.block.context').textContent()).toContain('opened the case');
    await shot(page, 'workspace-03-card');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('works a case with the card buttons: a note, a status change, and a close that asks first', async () => {
    await app.setupGroup();
    const ref = refIn(await app.say('/case open Zhong, Shiqu film company funds opened:2019-03-01'));
    const page = await openAs(browser, app.url, 'alice');
    await type(page, `/case show ${ref}`);
    let card = await message(page, `${ref} · Zhong`);

    // Cancel closes a form and tells docket nothing (it did not ask with notify_on_close).
    const before = app.fake.calls.length;
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = await modal(page, 'Edit case');
    expect(await field(page, 'title').locator('input').inputValue()).toBe('Zhong, Shiqu film company funds');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(app.fake.calls.slice(before).map((c) => c.method)).toEqual(['views.open']);

    await card.getByRole('button', { name: 'Add note' }).click();
    let form = await modal(page, 'Add a note');
    await form.locator('button.submit').click();
    // The Slack client itself refuses an empty required field: docket never sees it.
    await field(page, 'note').locator('.error', { hasText: 'required' }).waitFor();
    await field(page, 'note').locator('textarea').fill('Located in Lhasa with the police big-data system.');
    await form.locator('button.submit').click();
    await form.waitFor({ state: 'detached' });
    await message(page, `Note added to ${ref}`);

    await card.getByRole('button', { name: 'Change status' }).click();
    form = await modal(page, 'Change status');
    await field(page, 'status').locator('select').selectOption({ label: 'in custody' });
    await field(page, 'when').locator('input').fill('2020-05-10 10:00');
    await field(page, 'region').locator('input').fill('Tibet');
    await field(page, 'city').locator('input').fill('Lhasa');
    await form.locator('button.submit').click();
    await form.waitFor({ state: 'detached' });
    await message(page, `${ref}: open → in custody, recorded as of 2020-05-10 10:00 (Asia/Shanghai), found in Lhasa, Tibet`);

    await type(page, `/case close ${ref} returned`);
    const confirm = await message(page, `Close ${ref} as returned on `);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    // replace_original: the question becomes the answer, in place.
    await message(page, `Closed ${ref} (returned)`);
    await expect.poll(() => page.locator('#messages').textContent()).not.toContain(`Close ${ref} as returned on `);
    await expect.poll(() => page.locator('#channels a.unread').textContent()).toContain('announcements');

    await type(page, `/case show ${ref}`);
    card = await message(page, new RegExp(`${ref} · Zhong[\\s\\S]*closed`));
    const timeline = card.locator('.block.context');
    await expect.poll(() => timeline.textContent()).toContain('added a note');
    await expect.poll(() => timeline.textContent()).toContain('changed status: open → in custody');
    await expect.poll(() => timeline.textContent()).toContain('closed it (returned)');
    await expect.poll(() => card.getByRole('button', { name: 'Close case' }).count()).toBe(0);
    await shot(page, 'workspace-04-closed');

    await page.locator('#channels a', { hasText: 'announcements' }).click();
    await message(page, `${ref}`);
    await expect.poll(() => page.locator('#messages').textContent()).not.toContain('Zhong');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('adds an action item from the case card, then its owner presses Done on it', async () => {
    await app.setupGroup();
    const ref = refIn(await app.say('/case open Zhou, Shanghai leads'));
    const page = await openAs(browser, app.url, 'alice');
    await type(page, `/case show ${ref}`);
    const card = await message(page, `${ref} · Zhou`);
    await card.getByRole('button', { name: 'Add action item' }).click();
    const form = await modal(page, 'Add action item');
    await field(page, 'text').locator('textarea').fill('Verify bank records with the county court');
    await field(page, 'owner').locator('select').selectOption({ label: 'Carlos Li (@carlos)' });
    await field(page, 'due').locator('input').fill('the day after tomorrow 17:00');
    await form.locator('button.submit').click();
    await form.waitFor({ state: 'detached' });
    // The reply echoes the date and zone it understood.
    const added = await message(page, /Added #\d+ to .*, due .*17:00 \(Asia\/Shanghai\)/);
    const id = /#(\d+)/.exec((await added.textContent()) ?? '')![1]!;

    // Carlos sees it in his own list and closes it from the item's card.
    await page.locator('#user').selectOption({ label: 'Carlos Li (@carlos)' });
    await type(page, '/action list mine');
    await message(page, 'Verify bank records with the county court');
    await type(page, `/action show ${id}`);
    const item = await message(page, new RegExp(`#${id}[\\s\\S]*Verify bank records`));
    await item.getByRole('button', { name: 'Done' }).click();
    await message(page, new RegExp(`#${id} Verify bank records with the county court — done by`));
    await expect.poll(async () => (await app.db.selectFrom('action_items').select('state').where('seq', '=', Number(id)).executeTakeFirstOrThrow()).state).toBe('done');
    await shot(page, 'workspace-06-action-done');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('switching user shows what that person sees, in their language, the page’s own labels included', async () => {
    await app.setupGroup();
    const ref = refIn(await app.say('/case open Liu, Dege County subsidy funds'));
    await app.say('/case list');
    const page = await openAs(browser, app.url, 'alice');
    await message(page, new RegExp(`opened ${ref}`));
    expect(await (await message(page, 'Open cases (1)')).locator('.only-you').textContent()).toBe('Only visible to you');
    const send = page.locator('#composer button[type=submit]');
    expect(await send.textContent()).toBe('Send');

    await page.locator('#user').selectOption({ label: '包晓明 (@bao)' });
    await expect.poll(() => page.locator('#messages').textContent()).not.toContain('Open cases (1)');
    await message(page, new RegExp(`opened ${ref}`));
    expect(await send.textContent()).toBe('发送');
    expect(await page.locator('#input').getAttribute('placeholder')).toBe('输入命令，例如 /case help');
    expect(await page.locator('.section-title').allTextContents()).toEqual(['频道', '私信', '应用']);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await type(page, '/case list');
    expect(await (await message(page, '在办案件（1）')).locator('.only-you').textContent()).toBe('仅你可见');
    await shot(page, 'workspace-05-switch-user');

    await type(page, '/nope');
    await expect.poll(() => page.locator('#composer-error').textContent()).toContain('/nope 不是有效的命令');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});
