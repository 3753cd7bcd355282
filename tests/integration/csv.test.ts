import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { ACTIONS } from '../../src/slack/blocks/case-card.js';
import { IMPORT_CONFIRM } from '../../commands/case.import.js';
import { useHarness, TOKEN } from '../helpers/harness.js';

// The report's date: 2021-11-12 16:22 in Sichuan.
const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock, group: true });

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const cases = () => h.db.selectFrom('cases').selectAll().orderBy('id').execute();
const caseEvents = (caseId: number) => h.db.selectFrom('audit_events').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();

/** The bytes of the file the last export shared in the channel, as the fake Slack kept them. */
function lastUpload(): Buffer {
  const done = h.fake.callsTo('files.completeUploadExternal').filter((c) => c.ok).at(-1);
  if (!done) throw new Error('nothing was uploaded');
  return h.fake.file(done.response.files[0].id)!.bytes;
}

/** The Confirm button's value in a dry run's reply, if it has one. */
function confirmValue(reply: { args: Record<string, any> } | undefined): string | undefined {
  const actions = (reply?.args.blocks ?? []).find((b: any) => b.type === 'actions');
  return actions?.elements.find((e: any) => e.action_id === IMPORT_CONFIRM)?.value;
}

/** Zhong's case, as the report tells it: opened, money recovered, closed in Lhasa. */
async function zhongCase(): Promise<void> {
  await h.command('/case open 钟某某：挪用公款7万元 opened:2019-03-01 since:1997-11 unit:Police');
  await h.command('/case edit GZ-2019-001 subject 钟某某');
  await h.command('/case money GZ-2019-001 recovered 70,000 CNY 2020-05-20');
  const close = await h.command('/case close GZ-2019-001 returned 2020-05-10 09:30 region:西藏 city:拉萨');
  const value = close.reply!.args.blocks[1].elements[0].value as string;
  await h.click(ACTIONS.closeConfirm, value);
}

describe('/case export', () => {
  it('shares the ledger as UTF-8 CSV with a BOM, Chinese intact, money totals one column per kind and currency', async () => {
    await zhongCase();
    await h.command('/case open =SUM(A1:A9) opened:2021-01-05');
    const r = await h.command('/case export');
    expect(r.text).toContain('Exported 2 cases');
    const bytes = lastUpload();
    expect(bytes.subarray(0, 3).equals(BOM)).toBe(true);
    const [header, zhong, formula] = parse(bytes, { bom: true }) as string[][];
    expect(header).toEqual(['Reference', 'Title', 'Subject', 'Category', 'Unit', 'Status', 'Status since', 'Outcome', 'Opened on', 'At large since', 'Closed at', 'Found in region', 'Found in city', 'Last known location', 'Supervisor', 'recovered CNY']);
    expect(zhong).toEqual(['GZ-2019-001', '钟某某：挪用公款7万元', '钟某某', '', 'Police', 'closed', '', 'returned', '2019-03-01', '1997-11-01', '2020-05-10 09:30', '西藏', '拉萨', '', '', '70000.00']);
    // A title that starts like a formula is not run by the spreadsheet that opens the file.
    expect(formula![1]).toBe("'=SUM(A1:A9)");
    // Shared in the group's channel with a note; the two-step upload declared the length in bytes.
    const get = h.fake.callsTo('files.getUploadURLExternal').at(-1)!;
    expect(Number(get.args.length)).toBe(bytes.length);
    const shared = h.fake.messages.find((msg) => msg.files?.length && msg.channel === 'C0GROUP')!;
    expect(shared.text).toContain('<@U0ALICE> exported the ledger (2 cases)');
  });

  it('exports action items, and says so when Slack refuses the file', async () => {
    await h.command('/case open Zhang');
    await h.command('/action add GZ-2021-001 核实银行流水 owner:unit:Police due:2021-11-20 17:00');
    const r = await h.command('/action export');
    expect(r.text).toContain('Exported 1 action item');
    const [header, row] = parse(lastUpload(), { bom: true }) as string[][];
    expect(header).toEqual(['Item', 'Case', 'Matter', 'Owner', 'Owner unit', 'Due', 'State', 'Closed at']);
    expect(row).toEqual(['#1', 'GZ-2021-001', '核实银行流水', '', 'Police', '2021-11-20 17:00', 'open', '']);
    h.fake.inject({ method: 'files.completeUploadExternal', error: 'not_in_channel' });
    expect((await h.command('/action export')).text).toContain('I am not in this channel');
  });

  it('an export imported into another group brings the same cases, dates and money', async () => {
    await zhongCase();
    await h.command('/case open Liu opened:2019-01-01 unit:Police');
    await h.command('/case status GZ-2019-002 in custody 2019-01-05 10:00 region:Sichuan');
    await h.command('/case export');
    const exported = lastUpload();
    await h.command('/docket setup Danba County prefix:DB tz:Asia/Shanghai currency:CNY', { channel: 'C0COUNTY' });
    await h.command('/docket units add Police', { channel: 'C0COUNTY' });
    h.fake.shareFile({ channel: 'C0COUNTY', user: 'U0ALICE', name: 'ganzi.csv', bytes: exported });
    const dry = await h.command('/case import', { channel: 'C0COUNTY' });
    expect(dry.text).toContain('would create 2 cases');
    const done = await h.click(IMPORT_CONFIRM, confirmValue(dry.reply)!, { channel: 'C0COUNTY' });
    expect(done.text).toBe('Imported 2 cases: DB-2019-001 … DB-2019-002.');
    await h.command('/case export', { channel: 'C0COUNTY' });
    const again = parse(lastUpload(), { bom: true }) as string[][];
    const before = parse(exported, { bom: true }) as string[][];
    // The same ledger, renumbered in the new group (numbered in the order the cases were opened).
    const withoutRef = (rows: string[][]) => rows.slice(1).map((r) => r.slice(1)).sort();
    expect(withoutRef(again)).toEqual(withoutRef(before));
    expect(again[0]).toEqual(before[0]);
  });
});

describe('two-step upload in the fake Slack', () => {
  const api = async (method: string, body: Record<string, string>) => {
    const res = await fetch(`${h.fake.apiUrl}${method}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
    return (await res.json()) as Record<string, any>;
  };

  it('refuses bytes that are not the declared length, and completing a file never uploaded', async () => {
    expect(await api('files.getUploadURLExternal', { filename: 'a.csv' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await api('files.getUploadURLExternal', { filename: 'a.csv', length: '0' })).toMatchObject({ ok: false, error: 'missing_argument' });
    const started = await api('files.getUploadURLExternal', { filename: 'a.csv', length: '6' });
    // "张三" is two characters and six bytes: a client that counts characters sends the wrong length.
    const short = await fetch(started.upload_url, { method: 'POST', body: 'abc' });
    expect(short.status).toBe(400);
    const complete = await api('files.completeUploadExternal', { files: JSON.stringify([{ id: started.file_id, title: 'a' }]), channel_id: 'C0GROUP' });
    expect(complete).toMatchObject({ ok: false, error: 'file_not_found' });
    const form = new FormData();
    form.append('filename', new Blob([Buffer.from('张三', 'utf8')]), 'a.csv');
    expect((await fetch(started.upload_url, { method: 'POST', body: form })).status).toBe(200);
    expect(await api('files.completeUploadExternal', { files: JSON.stringify([{ id: started.file_id, title: 'a' }]), channel_id: 'C0RANDOM' })).toMatchObject({ ok: false, error: 'not_in_channel' });
    const ok = await api('files.completeUploadExternal', { files: JSON.stringify([{ id: started.file_id, title: 'a' }]), channel_id: 'C0GROUP' });
    expect(ok).toMatchObject({ ok: true, files: [{ id: started.file_id, title: 'a' }] });
    expect(h.fake.file(started.file_id)!.bytes.toString('utf8')).toBe('张三');
    // The file's download URL gives its bytes for the bot token only; anyone else gets a sign-in page.
    const info = await api('files.info', { file: started.file_id });
    expect((await fetch(info.file.url_private_download)).headers.get('content-type')).toContain('text/html');
    const mine = await fetch(info.file.url_private_download, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(Buffer.from(await mine.arrayBuffer()).toString('utf8')).toBe('张三');
  });
});

const LEDGER = [
  'Reference,Title,Subject,Unit,Status,Outcome,Opened on,At large since,Closed at,Found in region,Found in city,recovered CNY,frozen CNY',
  'Z-1,"Zhong, film company",钟某某,Police,closed,returned,2019-03-01,1997-11,2020-05-10 09:30,西藏,拉萨,"70,000",',
  'L-7,刘某：草原补贴,刘某,,in custody,,2019-01-01,,,,,170000,280000',
].join('\r\n');

describe('/case import', () => {
  it('dry run lists every bad row with its line and reason, offers no Confirm, and creates nothing', async () => {
    const file = [
      'Reference,Title,Unit,Outcome,Opened on,Closed at',
      'A-1,Good row,Police,,2020-01-01,',
      '"A-2","Note spanning',
      'two lines",Customs,,2020-01-01,',
      'A-3,,Police,,2020-01-01,',
      '',
      'A-4,Bad date,,,2020-13-45,',
      'A-5,Bad outcome,,escaped,2020-01-01,2020-02-01',
      'A-1,Same ref,,,2020-01-01,',
      'A-6,Closed before opened,,returned,2020-03-01,2020-02-01',
    ].join('\n');
    h.fake.shareFile({ channel: 'C0GROUP', user: 'U0ALICE', name: 'old.csv', bytes: file });
    const r = await h.command('/case import');
    expect(r.text).toContain('6 rows cannot be imported');
    const lines = r.text.split('\n').filter((l) => l.startsWith('• Line'));
    expect(lines).toEqual([
      '• Line 3: the unit “Customs” is not one of this group’s units',
      '• Line 5: Title is empty',
      '• Line 7: Opened on “2020-13-45” is not a date',
      '• Line 8: “escaped” is not an outcome (returned, surrendered, deceased, withdrawn, other)',
      '• Line 9: the reference A-1 is on line 2 too',
      '• Line 10: Closed at is before the day the case was opened',
    ]);
    expect(confirmValue(r.reply)).toBeUndefined();
    expect(await cases()).toHaveLength(0);
    // A file with a column docket does not know is refused as a whole, naming it.
    expect((await h.command('/case import\nTitle,Opened on,Colour\nX,2020-01-01,red')).text).toContain('I don’t know the column “Colour”');
  });

  it('confirm imports every row in one transaction with their own dates on the timeline, posting nothing', async () => {
    h.fake.shareFile({ channel: 'C0GROUP', user: 'U0ALICE', name: '台账.csv', bytes: Buffer.concat([BOM, Buffer.from(LEDGER, 'utf8')]) });
    const dry = await h.command('/case import');
    expect(dry.text).toContain('would create 2 cases');
    expect(await cases()).toHaveLength(0);
    const done = await h.click(IMPORT_CONFIRM, confirmValue(dry.reply)!);
    // Numbered in the order they were opened: Liu (2019-01-01) first.
    expect(done.text).toBe('Imported 2 cases: GZ-2019-001 … GZ-2019-002.');
    const [liu, zhong] = await cases();
    expect(liu).toMatchObject({ ref: 'GZ-2019-001', source_ref: 'L-7', title: '刘某：草原补贴', status: 'in_custody', opened_on: '2019-01-01' });
    expect(zhong).toMatchObject({ ref: 'GZ-2019-002', source_ref: 'Z-1', title: 'Zhong, film company', subject: '钟某某', status: 'closed', outcome: 'returned', at_large_since: '1997-11-01', found_region: '西藏', found_city: '拉萨' });
    expect(zhong!.closed_at!.toISOString()).toBe('2020-05-10T01:30:00.000Z');
    const events = await caseEvents(zhong!.id);
    expect(events.map((e) => [e.kind, e.at.toISOString()])).toEqual([
      ['case.opened', '2019-02-28T16:00:00.000Z'],
      ['money.added', '2020-05-09T16:00:00.000Z'],
      ['case.closed', '2020-05-10T01:30:00.000Z'],
    ]);
    for (const e of events) expect(e.recorded_at.getTime()).toBeGreaterThan(e.at.getTime());
    const money = await h.db.selectFrom('money_entries').select(['case_id', 'kind', 'amount', 'occurred_on']).orderBy('id').execute();
    expect(money).toEqual([
      { case_id: liu!.id, kind: 'recovered', amount: '170000.0000', occurred_on: '2019-01-01' },
      { case_id: liu!.id, kind: 'frozen', amount: '280000.0000', occurred_on: '2019-01-01' },
      { case_id: zhong!.id, kind: 'recovered', amount: '70000.0000', occurred_on: '2020-05-10' },
    ]);
    // An import is not news: no post per case.
    expect(await h.db.selectFrom('outbox').select('id').execute()).toHaveLength(0);
    const history = await h.command('/case history GZ-2019-002');
    expect(JSON.stringify(history.reply!.args.blocks)).toContain('2020-05-10 09:30');
  });

  it('the same file again, or Confirm clicked twice, creates nothing new', async () => {
    h.fake.shareFile({ channel: 'C0GROUP', user: 'U0ALICE', name: 'ledger.csv', bytes: LEDGER });
    const dry = await h.command('/case import');
    const value = confirmValue(dry.reply)!;
    const [first, second] = await Promise.all([h.click(IMPORT_CONFIRM, value), h.click(IMPORT_CONFIRM, value)]);
    expect([first.text, second.text].sort()).toEqual(['Imported 2 cases: GZ-2019-001 … GZ-2019-002.', 'This file was imported on 2021-11-12 16:22 (2 cases): nothing new to create.'].sort());
    expect(await cases()).toHaveLength(2);
    // Shared again (a new Slack file, the same bytes): recognised, nothing to confirm.
    h.fake.shareFile({ channel: 'C0GROUP', user: 'U0ALICE', name: 'ledger (1).csv', bytes: LEDGER });
    const again = await h.command('/case import');
    expect(again.text).toBe('This file was imported on 2021-11-12 16:22 (2 cases): nothing new to create.');
    // An edited copy: rows already brought in are named, by the reference they had.
    const edited = await h.command(`/case import\n${LEDGER}\r\nN-1,New one,,,,,2021-01-01,,,,,,`);
    expect(edited.text).toContain('Z-1 is in the ledger already, as GZ-2019-002');
    expect(await cases()).toHaveLength(2);
  });

  it('is refused to observers, members who are not coordinators, and people outside the group', async () => {
    h.fake.shareFile({ channel: 'C0GROUP', user: 'U0ALICE', name: 'ledger.csv', bytes: LEDGER });
    const dry = await h.command('/case import');
    expect((await h.command('/case import', { user: 'U0DANA' })).text).toContain('Only the group’s coordinators');
    expect((await h.command('/case import', { user: 'U0CARLOS' })).text).toContain('Only the group’s coordinators');
    expect((await h.command('/case import', { user: 'U0ERIN' })).text).toContain('You are not a member');
    expect((await h.click(IMPORT_CONFIRM, confirmValue(dry.reply)!, { user: 'U0DANA' })).text).toContain('Only the group’s coordinators');
    // Nobody refused got as far as reading the file from Slack.
    expect(h.fake.callsTo('files.info')).toHaveLength(1);
    expect(await cases()).toHaveLength(0);
  });
});

describe('/docket export-all', () => {
  it('shares everything of the group as CSV files, for coordinators only', async () => {
    await h.command('/case open 张三 opened:2021-03-01');
    await h.command('/case money GZ-2021-001 frozen 50,000 CNY 2021-03-05 his account');
    await h.command('/action add GZ-2021-001 Ask Customs owner:<@U0BAO|bao> due:2021-11-20 17:00');
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2021-11-16 09:30');
    expect((await h.command('/docket export-all', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
    const r = await h.command('/docket export-all');
    expect(r.text).toContain('Shared 7 files in this channel');
    const shared = h.fake.callsTo('files.completeUploadExternal').filter((c) => c.ok);
    const files = shared.map((c) => h.fake.file(c.response.files[0].id)!);
    expect(files.map((f) => f.name)).toEqual(['cases', 'items', 'money', 'timeline', 'members', 'units', 'meetings'].map((w) => `GZ-${w}-2021-11-12.csv`));
    expect(files.every((f) => f.bytes.subarray(0, 3).equals(BOM) && f.channels.includes('C0GROUP'))).toBe(true);
    const rows = (i: number) => parse(files[i]!.bytes.subarray(3).toString('utf8')) as string[][];
    expect(rows(0)[1]).toContain('张三');
    expect(rows(2).slice(1)).toEqual([['GZ-2021-001', 'frozen', '50000.0000', 'CNY', '2021-03-05', 'his account', 'no', 'U0ALICE', expect.any(String)]]);
    // The timeline as the group reads it, every entry: the case's and the group's own.
    const timeline = rows(3);
    expect(timeline.map((t) => t[4])).toEqual(expect.arrayContaining(['group.setup', 'case.opened', 'money.added', 'action.added', 'meeting.scheduled']));
    expect(timeline.length - 1).toBe((await h.db.selectFrom('audit_events').select('id').execute()).length);
    expect(rows(4).slice(1).map((p) => p[0]).sort()).toEqual(['U0ALICE', 'U0BAO', 'U0CARLOS', 'U0DANA']);
    expect(rows(6)[1]!.slice(0, 2)).toEqual(['#1', 'Joint meeting']);
  });
});
