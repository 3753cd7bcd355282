import { ITEM_TEXT_MAX, formatItemNo } from '../src/domain/action-item.js';
import { optionalText, requiredText } from '../src/domain/case-fields.js';
import { parseRef } from '../src/domain/case-ref.js';
import { formatWithOffset, parseDateInput } from '../src/domain/time.js';
import type { CaseRow } from '../src/db/cases.table.js';
import type { Meeting } from '../src/db/meetings.table.js';
import { InvalidInput } from '../src/errors.js';
import { minutesButtonValue, readMinutesButton } from '../src/features/meetings/minutes.js';
import { CASE_FIELDS, DECISIONS, LIMITS, caseOfField, decisionField, minutesModal } from '../src/features/meetings/minutes-form.js';
import { assertCaseOpen, assertOwnerIsMember, type Owner } from '../src/services/actions.service.js';
import { meetingOf } from '../src/services/meetings.service.js';
import { casesForMinutes, casesNamed, checkMayRecord, meetingForMinutes, occurrenceForMinutes, recordMinutes, type MinutesInput } from '../src/services/minutes.service.js';
import { unitsOf } from '../src/services/reads.js';
import { authorize, scopeForChannel, type Scope } from '../src/services/scope.js';
import type { FormMeta } from '../src/slack/blocks/case-modals.js';
import { FormReader } from '../src/slack/forms.js';
import type { Ctx, Effects, Submission } from '../src/slack/handler.js';
import { esc, quote } from '../src/slack/mrkdwn.js';
import { pickedRowId, pickedUser } from '../src/slack/payload.js';
import { readDue } from './action.shared.js';
import { usageOf } from './meeting.parse.js';

/** Cases one record of minutes may name (notes and decisions together). */
const CASES_MAX = 40;
const GUESTS_MAX = 30;
const GUEST_MAX = 200;

/**
 * Minutes: `/meeting minutes N [DATE]`, and the "Record minutes" button on a meeting's
 * reminders and on the convener's note, open the form; its submission records the minutes
 * and turns each decision into an action item, all at once (src/services/minutes.service.ts).
 */
async function openForm(ctx: Ctx, scope: Scope, meeting: Meeting, occurrence: Date): Promise<Effects> {
  const { m } = ctx;
  const now = ctx.clock.now();
  await checkMayRecord(ctx, meeting, occurrence);
  const [units, open] = await Promise.all([unitsOf(ctx.db, scope), casesForMinutes(ctx, scope, now, 100)]);
  // The minutes belong to the group: its channel hears of them, wherever the form was opened.
  const meta: FormMeta = { channel: scope.group.channel_id, minutes: minutesButtonValue(meeting.id, occurrence) };
  const about = m.minutesFor(meeting.seq, esc(meeting.title), formatWithOffset(occurrence, meeting.time_zone));
  return { modal: minutesModal(meta, { about, units, attending: meeting.unit_ids, agendaCases: open.slice(0, CASE_FIELDS), openCases: open }, m) };
}

export async function minutesCommand(ctx: Ctx, no: number, date: string | null): Promise<Effects> {
  const usage = usageOf('minutes');
  const scope = await scopeForChannel(ctx, ctx.channelId);
  authorize(scope, 'write');
  const meeting = await meetingOf(ctx, scope, no);
  let day: string | null = null;
  if (date !== null) {
    day = /^\d{4}-\d{1,2}-\d{1,2}$/.test(date) ? (parseDateInput(date, meeting.time_zone, ctx.clock.now()) ?? null) : null;
    if (!day) throw new InvalidInput((m) => m.badDate(quote(date)), usage);
  }
  return openForm(ctx, scope, meeting, await occurrenceForMinutes(ctx.db, meeting, day, ctx.clock.now()));
}

/** "Record minutes": the meeting it names, for a member of its group who may write. */
export async function minutesButton(value: string, ctx: Ctx): Promise<Effects> {
  const named = readMinutesButton(value);
  if (!named) throw new InvalidInput((m) => m.staleButton);
  const { scope, meeting } = await meetingForMinutes(ctx, named.meetingId);
  return openForm(ctx, scope, meeting, named.occurrence);
}

const lines = (v: string | null) =>
  (v ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** `ZA-2026-0007: what was said` lines → reference and note. */
function caseLines(v: string | null): { ref: string; note: string }[] {
  return lines(v).map((line) => {
    const m = /^(\S+?)\s*[:：]\s*(.+)$/su.exec(line);
    const ref = m ? parseRef(m[1]!) : undefined;
    if (!m || !ref) throw new InvalidInput((mm) => mm.minutesBadCaseLine(quote(line.slice(0, 60))));
    return { ref, note: m[2]!.trim() };
  });
}

function unitIds(v: string | null): number[] {
  if (!v) return [];
  return [...new Set(v.split(',').map((x) => pickedRowId(x)).filter((x): x is number => x !== null))];
}

interface DecisionFields {
  n: number;
  text: string;
  caseId: number;
  owner: Owner;
  due: string;
}

/** One decision's inputs: all empty is no decision; otherwise it needs its text, case, one owner and a due date. */
function readDecision(f: FormReader, n: number): DecisionFields | undefined {
  const field = (x: Parameters<typeof decisionField>[1]) => decisionField(n, x);
  const text = f.read(field('text'), (v) => optionalText(v, (m) => m.minutesDecision(n), ITEM_TEXT_MAX));
  const caseId = f.read(field('case'), pickedRowId);
  const user = f.read(field('owner'), pickedUser);
  const unit = f.read(field('unit'), pickedRowId);
  const due = f.read(field('due'), (v) => v);
  if (text === undefined || caseId === undefined || user === undefined || unit === undefined) return undefined;
  if (!text && !caseId && !user && !unit && !due) return undefined;
  const refuse = (block: string, why: InvalidInput) =>
    f.read(block, () => {
      throw why;
    });
  if (!text) return void refuse(field('text'), new InvalidInput((m) => m.minutesDecisionNoText));
  if (user && unit) return void refuse(field('unit'), new InvalidInput((m) => m.minutesOneOwner));
  if (!caseId) return void refuse(field('case'), new InvalidInput((m) => m.minutesDecisionIncomplete));
  if (!user && !unit) return void refuse(field('owner'), new InvalidInput((m) => m.minutesDecisionIncomplete));
  if (!due) return void refuse(field('due'), new InvalidInput((m) => m.minutesDecisionIncomplete));
  return { n, text, caseId, owner: user ? { userId: user } : { unitId: unit! }, due };
}

/**
 * The form, read field by field (every mistake shows at once, under its field); the rules the
 * recording checks again under lock (an open case, an owner in the group) are checked here too,
 * so a refusal shows on the form rather than after it closed.
 */
export async function submitMinutes(values: Record<string, string | null>, meta: FormMeta, ctx: Ctx): Promise<Submission> {
  const named = readMinutesButton(meta.minutes ?? '');
  if (!named) throw new InvalidInput((m) => m.staleButton);
  const { scope, meeting } = await meetingForMinutes(ctx, named.meetingId);
  const now = ctx.clock.now();
  await checkMayRecord(ctx, meeting, named.occurrence);
  const f = new FormReader(values, ctx.m);
  const units = await unitsOf(ctx.db, scope);
  const attending = f.read('units', (v) => unitIds(v).filter((id) => units.some((u) => u.id === id))) ?? [];
  const guests = f.read('guests', (v) => {
    const named = lines(v);
    if (named.length > GUESTS_MAX) throw new InvalidInput((m) => m.tooLong(m.minutesFieldGuests, GUESTS_MAX));
    return named.map((g) => requiredText(g, (m) => m.minutesFieldGuests, GUEST_MAX));
  });
  const notes = f.read('notes', (v) => optionalText(v, (m) => m.minutesFieldNotes, LIMITS.notes));
  // Notes on the cases the form listed (block ids carry the case's row id), then on others by reference.
  const listed = Object.keys(values).flatMap((k) => {
    const id = caseOfField(k);
    const note = id ? f.read(k, (v) => optionalText(v, (m) => m.minutesFieldNotes, LIMITS.caseNote)) : null;
    return id && note ? [{ id, note }] : [];
  });
  const others = f.read('other', caseLines) ?? [];
  const decisions = Array.from({ length: DECISIONS }, (_, i) => readDecision(f, i + 1)).filter((d): d is DecisionFields => d !== undefined);

  const cases = await casesNamed(ctx, scope, { ids: [...listed.map((l) => l.id), ...decisions.map((d) => d.caseId)], refs: others.map((o) => o.ref) });
  const byId = new Map(cases.map((c) => [c.id, c]));
  const byRef = new Map(cases.map((c) => [c.ref, c]));
  const caseNotes = new Map<number, { case: CaseRow; note: string }>();
  const addNote = (c: CaseRow, note: string) => {
    const before = caseNotes.get(c.id);
    caseNotes.set(c.id, { case: c, note: before ? `${before.note}\n${note}` : note });
  };
  for (const l of listed) {
    const c = byId.get(l.id);
    if (c) addNote(c, l.note);
  }
  for (const o of others) {
    const c = byRef.get(o.ref);
    if (!c) f.read('other', () => {
      throw new InvalidInput((m) => m.minutesCaseNotHere(o.ref));
    });
    else addNote(c, o.note);
  }
  const input: MinutesInput = { occurrence: named.occurrence, unitIds: attending, guests: guests ?? [], notes: notes ?? null, caseNotes: [...caseNotes.values()], decisions: [] };
  for (const d of decisions) {
    const c = byId.get(d.caseId);
    if (!c) {
      f.read(decisionField(d.n, 'case'), () => {
        throw new InvalidInput((m) => m.badChoice);
      });
      continue;
    }
    f.read(decisionField(d.n, 'case'), () => assertCaseOpen(c));
    await f.check(decisionField(d.n, 'owner'), () => assertOwnerIsMember(ctx.db, scope, d.owner));
    const unitId = 'unitId' in d.owner ? d.owner.unitId : null;
    if (unitId !== null && !units.some((u) => u.id === unitId)) {
      f.read(decisionField(d.n, 'unit'), () => {
        throw new InvalidInput((m) => m.badChoice);
      });
    }
    const dueAt = f.read(decisionField(d.n, 'due'), (v) => readDue(v ?? '', scope.group, now));
    if (dueAt) input.decisions.push({ case: c, text: d.text, owner: d.owner, dueAt });
  }
  if (new Set([...input.caseNotes.map((n) => n.case.id), ...input.decisions.map((d) => d.case.id)]).size > CASES_MAX) {
    f.read('other', () => {
      throw new InvalidInput((m) => m.minutesTooManyCases(CASES_MAX));
    });
  }
  if (!f.ok) return { errors: f.errors };
  return {
    run: async () => {
      const r = await recordMinutes(ctx, scope, meeting.id, input);
      if (r.duplicate) return {};
      const { items, outbox } = r.value;
      const numbers = items.length ? ctx.m.list(items.map((i) => formatItemNo(i.item.seq))) : null;
      return { reply: { text: ctx.m.minutesRecorded(meeting.seq, esc(meeting.title), formatWithOffset(named.occurrence, meeting.time_zone), numbers) }, outbox };
    },
  };
}
