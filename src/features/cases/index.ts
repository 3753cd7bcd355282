import * as caseCommand from '../../../commands/case.js';
import { caseButton, submitClose, submitEdit, submitNote, submitOpen, submitPlan, submitStatus } from '../../../commands/case.interactions.js';
import { ACTIONS } from '../../slack/blocks/case-card.js';
import { VIEWS } from '../../slack/blocks/case-modals.js';
import type { ButtonHandler, Feature } from '../feature.js';
import { casePostKinds } from './post-kinds.js';
import { caseTimeline } from './timeline.js';
import { casesEn, casesZh } from './messages.js';
import { IMPORT_CONFIRM, confirmImportButton } from '../../../commands/case.import.js';

const card = (what: Parameters<typeof caseButton>[0]): ButtonHandler => (ref, ctx) => caseButton(what, ref, ctx);

/** The case ledger: `/case`, the case card's buttons and forms, and the posts a case makes. */
export const cases: Feature = {
  name: 'cases',
  commands: [{ name: '/case', description: (m) => m.cmdCase, usageHint: 'help | open | list | show | edit | note | plan | status | close | money | export | import …', parse: caseCommand.parse, handle: caseCommand.handle, usageOf: caseCommand.usageOf, inDirectMessage: caseCommand.IN_DIRECT_MESSAGE }],
  buttons: {
    [ACTIONS.show]: card('show'),
    [ACTIONS.edit]: card('edit'),
    [ACTIONS.status]: card('status'),
    [ACTIONS.note]: card('note'),
    [ACTIONS.close]: card('close'),
    [ACTIONS.closeConfirm]: (value, ctx) => caseCommand.confirmClose(ctx, caseCommand.parseCloseRequest(value)),
    [IMPORT_CONFIRM]: confirmImportButton,
    [ACTIONS.cancel]: async (_value, ctx) => ({ reply: { text: ctx.m.cancelled }, replaceOriginal: true }),
  },
  forms: {
    [VIEWS.open]: submitOpen,
    [VIEWS.edit]: submitEdit,
    [VIEWS.note]: submitNote,
    [VIEWS.plan]: submitPlan,
    [VIEWS.status]: submitStatus,
    [VIEWS.close]: submitClose,
  },
  outbox: casePostKinds,
  // Posting in the group and announcement channels; forms (no scope of their own).
  messages: { en: casesEn, 'zh-CN': casesZh },
  timeline: caseTimeline,
  // Exports are shared as files (files:write); an import reads a CSV shared in the channel (files:read).
  scopes: ['commands', 'chat:write', 'files:write', 'files:read'],
};
