import { LIMITS, capped, requiredText } from '../src/domain/case-fields.js';
import { isPrefix, suggestPrefix } from '../src/domain/case-ref.js';
import { isCurrency } from '../src/domain/money.js';
import { isRole, type Role } from '../src/domain/roles.js';
import { isTimeZone, todayIn } from '../src/domain/time.js';
import { InvalidInput, type Render } from '../src/errors.js';
import { languageCode, messagesFor, type Messages } from '../src/i18n/index.js';
import {
  addMembers,
  addUnit,
  removeMember,
  removeUnit,
  renameUnit,
  setMember,
  setUnitContact,
  setupGroup,
  updateSettings,
  type GroupSettings,
  type MemberChange,
} from '../src/services/groups.service.js';
import { authorize, scopeForChannel } from '../src/services/scope.js';
import { confirmMessage } from '../src/slack/blocks/case-card.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { checkCommandLength, takeOptions, tokenize } from '../src/slack/args.js';
import { channelIdOf, esc, quote, userIdOf } from '../src/slack/mrkdwn.js';
import { isDirectMessage, isUserId } from '../src/slack/ids.js';
import { longerThan } from '../src/domain/input-limits.js';
import { membersOf, unitNamed, unitsWithContacts } from '../src/services/reads.js';
import { handleLink, linkUsage, type LinkCommand } from './docket.links.js';
import { groupStats } from '../src/services/stats.service.js';
import { statsMessage } from '../src/slack/blocks/stats.js';
import { childGroupLines } from '../src/features/digest/content.js';
import { exportAll, exportFilename, type ExportWhat } from '../src/services/exports.service.js';
import { chunkLines } from '../src/slack/blocks/case-card.js';
import { mrkdwn } from '../src/slack/kit.js';
import { parseStatsYear } from '../src/domain/stats.js';

/** What `/docket` answers in a direct message: help, and `setup`, which says where a group is set up. */
export const IN_DIRECT_MESSAGE = ['help', 'setup'] as const satisfies readonly DocketCommand['sub'][];

export const DOCKET_ACTIONS = { removeMember: 'docket.member.remove', removeUnit: 'docket.unit.remove' } as const;

const SETTING_KEYS = ['name', 'prefix', 'tz', 'currency', 'announce', 'language'] as const;

type SettingsWords = Partial<Record<(typeof SETTING_KEYS)[number], string>>;

export type DocketCommand =
  | { sub: 'help' }
  | { sub: 'setup'; name: string | null; options: SettingsWords }
  | { sub: 'settings'; options: SettingsWords }
  | { sub: 'units' }
  | { sub: 'unit.add'; name: string; contact: string | null }
  | { sub: 'unit.rename'; name: string; to: string }
  | { sub: 'unit.contact'; name: string; contact: string | null }
  | { sub: 'unit.remove'; name: string }
  | { sub: 'members' }
  | { sub: 'member.add'; users: string[]; change: MemberChange }
  | { sub: 'member.set'; user: string; change: MemberChange }
  | { sub: 'member.remove'; user: string }
  | LinkCommand
  | { sub: 'stats'; year: number | null }
  | { sub: 'export-all' };

export const usageOf = (sub: string): Render => {
  if (sub === 'setup') return (m) => m.setupUsage;
  if (sub === 'settings') return (m) => m.settingsUsage;
  if (sub.startsWith('unit')) return (m) => m.unitsUsage;
  if (sub.startsWith('member')) return (m) => m.membersUsage;
  if (sub === 'parent' || sub === 'child') return linkUsage(sub);
  if (sub === 'stats') return (m) => m.statsUsage;
  if (sub === 'export-all') return (m) => m.exportAllUsage;
  return (m) => m.docketUsage;
};

function fail(sub: string, render: Render): never {
  throw new InvalidInput(render, usageOf(sub));
}

function user(word: string | undefined, sub: string): string {
  if (!word) fail(sub, (m) => m.missingArgument('@user'));
  const id = userIdOf(word);
  if (!id) fail(sub, (m) => m.badUser(quote(word)));
  return id;
}

function contactOf(word: string | undefined, sub: string): string | null {
  if (word === undefined || ['none', 'off', '-'].includes(word.toLowerCase())) return null;
  return user(word, sub);
}

/** A unit named in a command: no unit has a longer name, so a longer one is refused unread. */
const unitWord = (name: string, sub: string) => capped(name, (m) => m.fieldUnit, LIMITS.name, usageOf(sub));

function memberChange(options: { role?: string; unit?: string }, sub: string): MemberChange {
  const change: MemberChange = {};
  if (options.role !== undefined) {
    const role = options.role.toLowerCase();
    if (!isRole(role)) fail(sub, (m) => m.badRole(quote(options.role!)));
    change.role = role as Role;
  }
  if (options.unit !== undefined) change.unitName = ['none', '-'].includes(options.unit.toLowerCase()) ? null : unitWord(options.unit, sub);
  return change;
}

export function parse(text: string): DocketCommand {
  checkCommandLength(text, (m) => m.docketUsage);
  const words = tokenize(text);
  const [first = 'help', second, ...rest] = words;
  const sub = first.toLowerCase();
  switch (sub) {
    case 'help':
    case '?':
      return { sub: 'help' };
    case 'setup': {
      const { options, rest: nameWords } = takeOptions(words.slice(1), SETTING_KEYS);
      return { sub: 'setup', name: nameWords.length ? nameWords.join(' ') : null, options };
    }
    case 'settings': {
      const { options, rest: extra } = takeOptions(words.slice(1), SETTING_KEYS);
      if (extra.length) fail('settings', (m) => m.unknownOption(quote(extra[0]!)));
      return { sub: 'settings', options };
    }
    case 'units':
    case 'unit': {
      const verb = (second ?? 'list').toLowerCase();
      const { options, rest: args } = takeOptions(rest, ['contact'] as const);
      if (verb === 'list') return { sub: 'units' };
      if (!args[0]) fail('unit', (m) => m.missingArgument('NAME'));
      const name = unitWord(args[0], 'unit');
      if (verb === 'add') return { sub: 'unit.add', name, contact: contactOf(options.contact, 'unit') };
      if (verb === 'rename') {
        if (!args[1]) fail('unit', (m) => m.missingArgument('NEW'));
        return { sub: 'unit.rename', name, to: args[1] };
      }
      if (verb === 'contact') return { sub: 'unit.contact', name, contact: contactOf(args[1] ?? '', 'unit') };
      if (verb === 'remove') return { sub: 'unit.remove', name };
      return fail('unit', (m) => m.unknownSubcommand('docket units', quote(second!)));
    }
    case 'members':
    case 'member': {
      const verb = (second ?? 'list').toLowerCase();
      const { options, rest: args } = takeOptions(rest, ['role', 'unit'] as const);
      if (verb === 'list') return { sub: 'members' };
      if (verb === 'add') {
        if (args.length === 0) fail('member', (m) => m.missingArgument('@user'));
        return { sub: 'member.add', users: args.map((a) => user(a, 'member')), change: memberChange(options, 'member') };
      }
      if (verb === 'set') return { sub: 'member.set', user: user(args[0], 'member'), change: memberChange(options, 'member') };
      if (verb === 'remove') return { sub: 'member.remove', user: user(args[0], 'member') };
      return fail('member', (m) => m.unknownSubcommand('docket members', quote(second!)));
    }
    case 'export-all':
      if (words.length > 1) return fail(sub, (m) => m.unknownOption(quote(words[1]!)));
      return { sub: 'export-all' };
    case 'parent':
    case 'child':
      if (words.length > 2) return fail(sub, (m) => m.unknownOption(quote(words[2]!)));
      return { sub, target: second ?? null };
    case 'stats': {
      if (rest.length) fail('stats', (m) => m.unknownOption(quote(rest[0]!)));
      if (second === undefined) return { sub: 'stats', year: null };
      const year = parseStatsYear(second);
      if (year === undefined) fail('stats', (m) => m.badStatsYear(quote(second)));
      return { sub: 'stats', year };
    }
    default:
      return fail('help', (m) => m.unknownSubcommand('docket', quote(first)));
  }
}

/** Checks each setting given; returns only those, normalised. */
function readSettings(o: SettingsWords, sub: string): Partial<GroupSettings> {
  const s: Partial<GroupSettings> = {};
  if (o.name !== undefined) s.name = requiredText(o.name, () => 'name', LIMITS.name, usageOf(sub));
  if (o.prefix !== undefined) {
    const p = o.prefix.toUpperCase();
    if (!isPrefix(p)) fail(sub, (m) => m.badPrefix(quote(o.prefix!)));
    s.case_prefix = p;
  }
  if (o.tz !== undefined) {
    if (!isTimeZone(o.tz)) fail(sub, (m) => m.badZone(quote(o.tz!)));
    s.time_zone = o.tz;
  }
  if (o.currency !== undefined) {
    const c = o.currency.toUpperCase();
    if (!isCurrency(c)) fail(sub, (m) => m.badCurrency(quote(o.currency!)));
    s.currency = c;
  }
  if (o.announce !== undefined) {
    const none = ['none', 'off', '-'].includes(o.announce.toLowerCase());
    const ch = none ? null : channelIdOf(o.announce);
    if (!none && !ch) fail(sub, (m) => m.badChannel(quote(o.announce!)));
    s.announce_channel_id = ch ?? null;
  }
  if (o.language !== undefined) {
    if (!/^(en|zh)/i.test(o.language)) fail(sub, (m) => m.badLanguage(quote(o.language!)));
    s.locale = languageCode(o.language);
  }
  return s;
}

function settingsText(g: GroupSettings, m: Messages): string {
  return `${m.settingsTitle(esc(g.name))}\n${m.settingsLines({ name: esc(g.name), prefix: g.case_prefix, zone: g.time_zone, currency: g.currency, announce: g.announce_channel_id, language: g.locale })}`;
}

export async function handle(cmd: DocketCommand, ctx: Ctx): Promise<Effects> {
  const { db } = ctx;
  const { m } = ctx;
  if (cmd.sub === 'help') {
    // The command list comes from the features, so a new command shows here by itself.
    const list = ctx.commands.map((c) => `• \`${c.name}\` ${c.usageHint}: ${c.description(m)}`);
    return say([m.commandsHeading, ...list, '', m.docketHelp].join('\n'));
  }
  if (cmd.sub === 'setup') {
    // A group is bound to a channel its people share; a direct message with docket is no such place.
    if (isDirectMessage(ctx.channelId)) return say(m.setupInChannel);
    const given = readSettings(cmd.options, 'setup');
    const name = cmd.name ? requiredText(cmd.name, () => 'name', LIMITS.name, usageOf('setup')) : (given.name ?? (await ctx.slack.channelName(ctx.channelId)) ?? 'docket');
    const me = await ctx.slack.user(ctx.userId);
    const settings: GroupSettings = {
      name,
      case_prefix: given.case_prefix ?? suggestPrefix(name),
      time_zone: given.time_zone ?? (me?.tz && isTimeZone(me.tz) ? me.tz : 'UTC'),
      currency: given.currency ?? 'CNY',
      announce_channel_id: given.announce_channel_id ?? null,
      locale: given.locale ?? languageCode(me?.locale),
    };
    const result = await setupGroup(ctx, ctx.channelId, settings);
    if (result.duplicate) return {};
    const year = Number(todayIn(settings.time_zone, ctx.clock.now()).slice(0, 4));
    return say(m.groupCreated({ name: esc(name), prefix: settings.case_prefix, zone: settings.time_zone, currency: settings.currency, year }));
  }
  if (cmd.sub === 'parent' || cmd.sub === 'child') return handleLink(cmd, ctx);

  const scope = await scopeForChannel(ctx, ctx.channelId);
  switch (cmd.sub) {
    case 'settings': {
      const patch = readSettings(cmd.options, 'settings');
      if (Object.keys(patch).length === 0) {
        authorize(scope, 'read');
        return say(settingsText(scope.group, m));
      }
      const result = await updateSettings(ctx, scope, patch);
      if (result.duplicate) return {};
      return say(result.value.changed.length ? `${m.settingsUpdated}\n${settingsText(result.value.group, m)}` : m.nothingToChange);
    }
    case 'units': {
      authorize(scope, 'read');
      const units = await unitsWithContacts(db, scope);
      return say(units.length ? [m.unitsTitle(units.length), ...units.map((u) => m.unitLine(esc(u.name), u.contact_user_id, u.contactGone))].join('\n') : m.noUnits);
    }
    case 'unit.add': {
      const name = requiredText(cmd.name, (mm) => mm.fieldUnit, LIMITS.name, usageOf('unit'));
      const r = await addUnit(ctx, scope, name, cmd.contact);
      return r.duplicate ? {} : say(m.unitAdded(esc(name)));
    }
    case 'unit.rename': {
      const to = requiredText(cmd.to, (mm) => mm.fieldUnit, LIMITS.name, usageOf('unit'));
      const r = await renameUnit(ctx, scope, cmd.name, to);
      return r.duplicate ? {} : say(m.unitRenamed(esc(cmd.name), esc(to)));
    }
    case 'unit.contact': {
      const r = await setUnitContact(ctx, scope, cmd.name, cmd.contact);
      return r.duplicate ? {} : say(m.unitContactSet(esc(r.value.name), cmd.contact));
    }
    case 'unit.remove': {
      authorize(scope, 'govern');
      const unit = await unitNamed(db, scope, cmd.name);
      if (!unit) throw new InvalidInput((mm) => mm.unitNotFound(quote(cmd.name)), usageOf('unit'));
      const members = (await membersOf(db, scope)).filter((x) => x.unit_id === unit.id).length;
      return { reply: confirmMessage(m.unitRemoveConfirm(esc(unit.name), members), { actionId: DOCKET_ACTIONS.removeUnit, value: unit.name, danger: true }, m) };
    }
    case 'export-all': {
      const now = ctx.clock.now();
      // Shared in the channel: headers and entries in the group's language.
      const channelWords = messagesFor(scope.group.locale);
      const files = await exportAll(ctx, scope, channelWords);
      const named = (what: ExportWhat) => exportFilename(scope.group.case_prefix, what, now, scope.group.time_zone);
      return {
        reply: { text: m.exportedAll(files.length) },
        uploads: files.map((f, i) => ({ filename: named(f.what), title: named(f.what), bytes: f.file.bytes, ...(i === 0 ? { comment: channelWords.exportAllComment(ctx.userId) } : {}) })),
      };
    }
    case 'stats': {
      authorize(scope, 'read');
      const now = ctx.clock.now();
      const figures = await groupStats(db, scope.group, now);
      const reply = statsMessage(scope.group.name, figures, cmd.year, m);
      // A parent group's statistics add a line per child group (figures only: their cases stay theirs).
      const children = await childGroupLines(db, scope.group, cmd.year ?? Number(todayIn(scope.group.time_zone, now).slice(0, 4)), now, m);
      const [rollUp] = chunkLines(children, 2900);
      return { reply: rollUp ? { ...reply, blocks: [...(reply.blocks ?? []), { type: 'section', text: mrkdwn(rollUp) }] } : reply };
    }
    case 'members': {
      authorize(scope, 'read');
      const members = await membersOf(db, scope);
      return say([m.membersTitle(members.length), ...members.map((x) => m.memberLine(x.user_id, x.role, x.unit_name ? esc(x.unit_name) : null))].join('\n'));
    }
    case 'member.add': {
      authorize(scope, 'govern');
      for (const u of cmd.users) {
        const info = await ctx.slack.user(u);
        if (!info || info.deleted || info.isBot) throw new InvalidInput((mm) => mm.botOrDeleted(u), usageOf('member'));
      }
      const r = await addMembers(ctx, scope, cmd.users, cmd.change);
      if (r.duplicate) return {};
      const lines = [];
      if (r.value.added.length) lines.push(m.membersAdded(r.value.added, cmd.change.role ?? 'member'));
      if (r.value.existing.length) lines.push(m.membersAlready(r.value.existing));
      return say(lines.join('\n'));
    }
    case 'member.set': {
      const r = await setMember(ctx, scope, cmd.user, cmd.change);
      if (r.duplicate) return {};
      return say(r.value.changed ? m.memberUpdated(cmd.user) : m.nothingToChange);
    }
    case 'member.remove': {
      authorize(scope, 'govern');
      return { reply: confirmMessage(m.memberRemoveConfirm(cmd.user), { actionId: DOCKET_ACTIONS.removeMember, value: cmd.user, danger: true }, m) };
    }
  }
}

/** The confirmed halves of `units remove` and `members remove`. */
export async function confirmRemoval(ctx: Ctx, what: { unit: string } | { user: string }): Promise<Effects> {
  // The button's value comes back from the client: a unit name no unit can have, or a user
  // that is no Slack id, is refused before it reaches a query or a reply.
  if ('unit' in what ? longerThan(what.unit, LIMITS.name) : !isUserId(what.user)) throw new InvalidInput((m) => m.staleButton);
  const scope = await scopeForChannel(ctx, ctx.channelId);
  if ('unit' in what) {
    const r = await removeUnit(ctx, scope, what.unit);
    return r.duplicate ? {} : { reply: { text: ctx.m.unitRemoved(esc(what.unit)) }, replaceOriginal: true };
  }
  const r = await removeMember(ctx, scope, what.user);
  return r.duplicate ? {} : { reply: { text: ctx.m.memberRemoved(what.user) }, replaceOriginal: true };
}

