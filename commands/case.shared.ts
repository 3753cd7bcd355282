import type { CaseRow } from '../src/db/cases.table.js';
import type { Group } from '../src/db/groups.table.js';
import { can } from '../src/domain/roles.js';
import { caseNamed, editCaseModal, naming, type ModalMeta } from '../src/slack/blocks/case-modals.js';
import type { ModalView } from '../src/slack/kit.js';
import { LIMITS, capped, optionalText } from '../src/domain/case-fields.js';
import { INPUT_MAX } from '../src/domain/input-limits.js';
import { fractionDigits, isCurrency, minorUnits, parseAmount } from '../src/domain/money.js';
import { parseDateInput, parseDateTimeInput, toDate, todayIn } from '../src/domain/time.js';
import { InvalidInput, NotFound, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import { caseForActor, type MoneyInput, type Place } from '../src/services/cases.service.js';
import type { Scope } from '../src/services/scope.js';
import { caseCard } from '../src/slack/blocks/case-card.js';
import type { Ctx, Effects } from '../src/slack/handler.js';
import { quote } from '../src/slack/mrkdwn.js';
import type { Executor } from '../src/db/database.js';
import { timelineLines } from '../src/features/timeline.js';
import { caseCardParts, unitNamed, unitOf, unitsOf } from '../src/services/reads.js';

/** The case card for whoever asked, if they may read the case. */
export async function cardEffects(ctx: Ctx, ref: string): Promise<Effects> {
  const { scope, case: c } = await caseForActor(ctx, ref, 'read');
  const { totals, moneyEntries, events, unit } = await caseCardParts(ctx.db, c);
  const zone = scope.group.time_zone;
  const timeline = timelineLines(events, { m: ctx.m, zone });
  const role = scope.member?.role;
  const may = { write: role !== undefined && can(role, 'write'), govern: role !== undefined && can(role, 'govern') };
  const card = caseCard({ case: c, unitName: unit?.name ?? null, totals, moneyEntries, timeline, zone, may, now: ctx.clock.now() }, ctx.m);
  return { reply: card };
}

/** A calendar date typed by a user, read in the group's zone; never in the future. */
export function readDate(text: string, label: (m: Messages) => string, group: Group, now: Date, usage?: Render): string {
  capped(text, label, INPUT_MAX.when, usage);
  const date = parseDateInput(text, group.time_zone, now);
  if (!date) throw new InvalidInput((m) => m.badDate(quote(text)), usage);
  if (date > todayIn(group.time_zone, now)) throw new InvalidInput((m) => m.futureDate(label(m)), usage);
  return date;
}

/** When something happened ("2019-09-22 07:24", "yesterday 16:00"); empty means now. */
export function readWhen(text: string | null, group: Group, now: Date, usage?: Render): Date {
  if (!text) return now;
  capped(text, (m) => m.fieldWhen, INPUT_MAX.when, usage);
  const parsed = parseDateTimeInput(text, group.time_zone, now);
  if (!parsed) throw new InvalidInput((m) => m.badDateTime(quote(text)), usage);
  const at = toDate(parsed.at);
  if (at.getTime() > now.getTime()) throw new InvalidInput((m) => m.futureDate(m.fieldWhen), usage);
  return at;
}

/** An amount as typed, checked against the currency's decimals; the currency defaults to the group's. */
export function readAmount(text: string, currency: string | null, group: Group, usage?: Render): { amount: string; currency: string } {
  capped(text, (m) => m.fieldAmount, INPUT_MAX.amount, usage);
  const parsed = parseAmount(text);
  if (parsed === 'format') throw new InvalidInput((m) => m.badAmount(quote(text)), usage);
  if (parsed === 'grouping') throw new InvalidInput((m) => m.amountGrouping(quote(text)), usage);
  if (parsed === 'too_large') throw new InvalidInput((m) => m.amountTooLarge, usage);
  if (parsed === 'zero') throw new InvalidInput((m) => m.amountZero, usage);
  if (currency && parsed.currency && currency.toUpperCase() !== parsed.currency) throw new InvalidInput((m) => m.currencyConflict(parsed.currency!, currency.toUpperCase()), usage);
  const cur = (currency ?? parsed.currency ?? group.currency).toUpperCase();
  if (!isCurrency(cur)) throw new InvalidInput((m) => m.badCurrency(quote(cur)), usage);
  const digits = minorUnits(cur);
  if (fractionDigits(parsed.amount) > digits) throw new InvalidInput((m) => m.tooManyDecimals(cur, digits), usage);
  return { amount: parsed.amount, currency: cur };
}

/** Where a subject was found, as typed or entered in a form: each part trimmed and capped. */
export function readPlace(region: string | null | undefined, city: string | null | undefined, usage?: Render): Place {
  return {
    region: optionalText(region?.replace(/\s+/gu, ' '), (m) => m.fieldRegion, LIMITS.place, usage),
    city: optionalText(city?.replace(/\s+/gu, ' '), (m) => m.fieldCity, LIMITS.place, usage),
  };
}

export function readMoney(
  input: { ref: string; kind: MoneyInput['kind']; amount: string; currency: string | null; date: string | null; note: string | null; correction: boolean },
  group: Group,
  now: Date,
  usage?: Render,
): MoneyInput {
  const { amount, currency } = readAmount(input.amount, input.currency, group, usage);
  // A negative total is never what someone meant by accident: taking money back is a correction, said so.
  if (amount.startsWith('-') && !input.correction) throw new InvalidInput((m) => m.negativeIsCorrection(input.ref, input.kind), usage);
  const occurredOn = input.date ? readDate(input.date, (m) => m.fieldWhen, group, now, usage) : todayIn(group.time_zone, now);
  if (input.note && [...input.note].length > LIMITS.moneyNote) throw new InvalidInput((m) => m.tooLong(m.fieldNote, LIMITS.moneyNote), usage);
  return { kind: input.kind, amount, currency, occurredOn, note: input.note, correction: input.correction };
}

export async function unitIdByName(db: Executor, scope: Scope, name: string, usage?: Render): Promise<number> {
  capped(name, (m) => m.fieldUnit, LIMITS.name, usage);
  const unit = await unitNamed(db, scope, name);
  if (!unit) throw new NotFound((m) => m.unitNotFound(quote(name)), usage);
  return unit.id;
}

/** The edit form for a case, as the person opening it may use it. */
export async function editForm(ctx: Ctx, scope: Scope, c: CaseRow, meta: ModalMeta, m: Messages): Promise<ModalView> {
  const [units, caseUnit] = await Promise.all([unitsOf(ctx.db, scope), c.origin_unit_id ? unitOf(ctx.db, scope, c.origin_unit_id) : undefined]);
  return naming(editCaseModal(meta, c, { units, ...(caseUnit ? { caseUnit } : {}), canSupervise: can(scope.member?.role, 'govern') }, m), caseNamed(c));
}
