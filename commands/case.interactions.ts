import { LIMITS, optionalText, requiredText } from '../src/domain/case-fields.js';
import { parseOutcomeWord, parseStatusWord } from '../src/domain/case-status.js';
import { Conflict, InvalidInput } from '../src/errors.js';
import { addNote, assertInOrder, caseForActor, editCase, openCase, setPlan, setStatus, type OpenCaseInput } from '../src/services/cases.service.js';
import { authorize, scopeForChannel, type Scope } from '../src/services/scope.js';
import { caseNamed, closeModal, naming, noteModal, statusModal, type ModalMeta } from '../src/slack/blocks/case-modals.js';
import { fieldLabel, money, placeText } from '../src/slack/format.js';
import { dueText } from '../src/domain/time.js';
import { say, type Ctx, type Effects, type Submission } from '../src/slack/handler.js';
import { esc } from '../src/slack/mrkdwn.js';
import { carriedRef, pickedUnitId, pickedUser } from '../src/slack/payload.js';
import { confirmClose } from './case.js';
import { cardEffects, editForm, readAmount, readDate, readPlace, readWhen } from './case.shared.js';
import { unitOf } from '../src/services/reads.js';
import { FormReader } from '../src/slack/forms.js';

/** Buttons on a case card (and on channel posts): each opens a form or shows the card. */
export async function caseButton(action: 'show' | 'edit' | 'status' | 'note' | 'close', value: string, ctx: Ctx): Promise<Effects> {
  const ref = carriedRef(value);
  if (action === 'show') return cardEffects(ctx, ref);
  const { scope, case: c } = await caseForActor(ctx, ref, action === 'close' ? 'govern' : 'write');
  const meta: ModalMeta = { channel: ctx.channelId, ref: c.ref };
  const { m } = ctx;
  switch (action) {
    case 'edit':
      return { modal: await editForm(ctx, scope, c, meta, m) };
    case 'status':
      return { modal: naming(statusModal(meta, c, m), caseNamed(c)) };
    case 'note':
      return { modal: naming(noteModal(meta, m), caseNamed(c)) };
    case 'close':
      if (c.status === 'closed') throw new Conflict((mm) => mm.alreadyClosed(c.ref));
      return { modal: naming(closeModal(meta, m), caseNamed(c)) };
  }
}

/** A unit removed since the form opened is dropped, as is one of another group. */
async function unitFromForm(ctx: Ctx, scope: Scope, id: number | null | undefined): Promise<number | null> {
  if (!id) return null;
  return (await unitOf(ctx.db, scope, id))?.id ?? null;
}

/** The fields the open and edit forms share, validated. */
function readCaseFields(f: FormReader, scope: Scope, now: Date) {
  const g = scope.group;
  const title = f.read('title', (v) => requiredText(v, (m) => m.fieldTitle, LIMITS.title));
  const subject = f.read('subject', (v) => optionalText(v, (m) => m.fieldSubject, LIMITS.subject));
  const category = f.read('category', (v) => optionalText(v, (m) => m.fieldCategory, LIMITS.category));
  const opened = f.read('opened', (v) => {
    if (!v) throw new InvalidInput((m) => m.required(m.fieldOpened));
    return readDate(v, (m) => m.fieldOpened, g, now);
  });
  const since = f.read('since', (v) => (v ? readDate(v, (m) => m.fieldSince, g, now) : null));
  const location = f.read('location', (v) => optionalText(v, (m) => m.fieldLocation, LIMITS.location));
  const unit = f.read('unit', pickedUnitId);
  return { title, subject, category, opened, since, location, unit };
}

/**
 * The supervisor field, when the form had one (coordinators only see it). Undefined means
 * "no change"; a change by anyone else is refused on the field.
 */
function readSupervisor(f: FormReader, values: Record<string, string | null>, scope: Scope, current: string | null): string | null | undefined {
  if (!Object.hasOwn(values, 'supervisor')) return undefined;
  return f.read('supervisor', (raw) => {
    const v = pickedUser(raw);
    if (v !== current && scope.member?.role !== 'coordinator') throw new InvalidInput((m) => m.coordinatorsOnly);
    return v;
  });
}

export async function submitOpen(values: Record<string, string | null>, meta: ModalMeta, ctx: Ctx): Promise<Submission> {
  const scope = await scopeForChannel(ctx, meta.channel);
  authorize(scope, 'write');
  const now = ctx.clock.now();
  const f = new FormReader(values, ctx.m);
  const fields = readCaseFields(f, scope, now);
  const supervisor = readSupervisor(f, values, scope, null);
  const plan = f.read('plan', (v) => optionalText(v, (m) => m.fieldPlan, LIMITS.plan));
  const involved = f.read('amount', (v) => (v ? readAmount(v, null, scope.group) : null));
  if (!f.ok) return { errors: f.errors };
  const input: OpenCaseInput = {
    title: fields.title!,
    subject: fields.subject ?? null,
    category: fields.category ?? null,
    origin_unit_id: await unitFromForm(ctx, scope, fields.unit),
    opened_on: fields.opened!,
    at_large_since: fields.since ?? null,
    last_location: fields.location ?? null,
    plan: plan ?? null,
    supervisor_user_id: supervisor ?? null,
    involved: involved ?? null,
  };
  return {
    run: async () => {
      const result = await openCase(ctx, scope, input);
      if (result.duplicate) return {};
      const c = result.value.case;
      const m = ctx.m;
      // The amount as recorded, so a misread one is seen at once.
      const amount = input.involved ? `\n${m.moneyLine(m.fieldAmountInvolved, money(input.involved.amount, input.involved.currency, m))}` : '';
      return { reply: { text: m.caseOpened(c.ref, esc(c.title)) + amount }, outbox: result.value.outbox };
    },
  };
}

export async function submitEdit(values: Record<string, string | null>, meta: ModalMeta, ctx: Ctx): Promise<Submission> {
  const { scope, case: c } = await caseForActor(ctx, carriedRef(meta.ref), 'write');
  const f = new FormReader(values, ctx.m);
  const fields = readCaseFields(f, scope, ctx.clock.now());
  const supervisor = readSupervisor(f, values, scope, c.supervisor_user_id);
  if (!f.ok) return { errors: f.errors };
  const unitId = Object.hasOwn(values, 'unit') ? await unitFromForm(ctx, scope, fields.unit) : c.origin_unit_id;
  return {
    run: async () => {
      const result = await editCase(
        ctx,
        c.ref,
        {
          title: fields.title!,
          subject: fields.subject ?? null,
          category: fields.category ?? null,
          origin_unit_id: unitId,
          opened_on: fields.opened!,
          at_large_since: fields.since ?? null,
          last_location: fields.location ?? null,
          ...(supervisor !== undefined ? { supervisor_user_id: supervisor } : {}),
        },
        meta.version,
      );
      if (result.duplicate) return {};
      const { changed } = result.value;
      return say(changed.length ? ctx.m.edited(c.ref, changed.map(fieldLabel(ctx.m))) : ctx.m.nothingToChange);
    },
  };
}

export async function submitNote(values: Record<string, string | null>, meta: ModalMeta, ctx: Ctx): Promise<Submission> {
  const f = new FormReader(values, ctx.m);
  const text = f.read('note', (v) => requiredText(v, (m) => m.fieldNote, LIMITS.note));
  if (!f.ok) return { errors: f.errors };
  const ref = carriedRef(meta.ref);
  return { run: async () => ((await addNote(ctx, ref, text!)).duplicate ? {} : say(ctx.m.noteAdded(ref))) };
}

export async function submitPlan(values: Record<string, string | null>, meta: ModalMeta, ctx: Ctx): Promise<Submission> {
  const f = new FormReader(values, ctx.m);
  const plan = f.read('plan', (v) => requiredText(v, (m) => m.fieldPlan, LIMITS.plan));
  if (!f.ok) return { errors: f.errors };
  const ref = carriedRef(meta.ref);
  return {
    run: async () => {
      const r = await setPlan(ctx, ref, plan!);
      return r.duplicate ? {} : say(ctx.m.planUpdated(ref, r.value.plan_version));
    },
  };
}

export async function submitStatus(values: Record<string, string | null>, meta: ModalMeta, ctx: Ctx): Promise<Submission> {
  const ref = carriedRef(meta.ref);
  const { scope, case: c } = await caseForActor(ctx, ref, 'write');
  const now = ctx.clock.now();
  const f = new FormReader(values, ctx.m);
  const status = f.read('status', (v) => {
    const s = v ? parseStatusWord(v) : undefined;
    if (!s) throw new InvalidInput((m) => m.required(m.fieldStatus));
    return s;
  });
  const at = f.read('when', (v) => {
    const when = readWhen(v, scope.group, now);
    assertInOrder(c, when, scope.group.time_zone);
    return when;
  });
  const region = f.read('region', (v) => readPlace(v, null).region);
  const city = f.read('city', (v) => readPlace(null, v).city);
  if (!f.ok) return { errors: f.errors };
  const place = { region: region ?? null, city: city ?? null };
  return {
    run: async () => {
      const r = await setStatus(ctx, ref, status!, at!, place);
      return r.duplicate ? {} : say(ctx.m.statusChanged(ref, r.value.from, status!, dueText(at!, scope.group.time_zone, ctx.m), placeText(place, ctx.m)));
    },
  };
}

export async function submitClose(values: Record<string, string | null>, meta: ModalMeta, ctx: Ctx): Promise<Submission> {
  const ref = carriedRef(meta.ref);
  const { scope, case: c } = await caseForActor(ctx, ref, 'govern');
  const f = new FormReader(values, ctx.m);
  const outcome = f.read('outcome', (v) => {
    const o = v ? parseOutcomeWord(v) : undefined;
    if (!o) throw new InvalidInput((m) => m.required(m.fieldOutcome));
    return o;
  });
  const note = f.read('note', (v) => optionalText(v, (m) => m.fieldNote, LIMITS.closeNote));
  const when = f.read('when', (v) => {
    assertInOrder(c, readWhen(v, scope.group, ctx.clock.now()), scope.group.time_zone);
    return v;
  });
  const region = f.read('region', (v) => readPlace(v, null).region);
  const city = f.read('city', (v) => readPlace(null, v).city);
  if (!f.ok) return { errors: f.errors };
  return { run: () => confirmClose(ctx, { ref, outcome: outcome!, note: note ?? null, date: when ?? null, region: region ?? null, city: city ?? null }) };
}
