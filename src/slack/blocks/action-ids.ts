/** Action ids of item buttons (on reminders, item cards, and the case card's "add" button). */
export const ITEM_ACTIONS = {
  done: 'action.done',
  snooze1h: 'action.snooze.1h',
  snooze1d: 'action.snooze.1d',
  snooze1w: 'action.snooze.1w',
  reassign: 'action.reassign',
  reopen: 'action.reopen',
  show: 'action.show',
  /** On the case card: opens the "add an action item" form. */
  add: 'action.add',
} as const;
