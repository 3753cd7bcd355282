import type { ModalState } from './modals.js';

/**
 * Each person's stack of open modals, as Slack keeps it: views.open starts a stack,
 * views.push and response_action push add to it, closing pops. Errors shown under inputs
 * belong to the top view and go when the stack changes.
 */
export class ModalStacks {
  private readonly byUser = new Map<string, ModalState>();

  constructor(private readonly changed: () => void) {}

  clear(): void {
    this.byUser.clear();
    this.changed();
  }

  get(userId: string): ModalState | undefined {
    return this.byUser.get(userId);
  }

  isTop(userId: string, viewId: string): boolean {
    return this.byUser.get(userId)?.stack.at(-1) === viewId;
  }

  opened(userId: string, viewId: string): void {
    this.byUser.set(userId, { stack: [viewId], errors: {} });
    this.changed();
  }

  pushed(userId: string, viewId: string): void {
    const st = this.byUser.get(userId);
    if (!st) return this.opened(userId, viewId);
    st.stack.push(viewId);
    this.settle(userId);
  }

  /** views.update (by the app) or response_action update: the view is new, its errors are gone. */
  updated(viewId: string): void {
    for (const st of this.byUser.values()) {
      if (!st.stack.includes(viewId)) continue;
      st.errors = {};
      delete st.formError;
    }
    this.changed();
  }

  pop(userId: string): void {
    this.byUser.get(userId)?.stack.pop();
    this.settle(userId);
  }

  closeAll(userId: string): void {
    this.byUser.delete(userId);
    this.changed();
  }

  showErrors(userId: string, errors: Record<string, string>): void {
    const st = this.byUser.get(userId);
    if (!st) return;
    st.errors = errors;
    delete st.formError;
    this.changed();
  }

  formError(userId: string, error: string): void {
    const st = this.byUser.get(userId);
    if (!st) return;
    st.formError = error;
    this.changed();
  }

  private settle(userId: string): void {
    const st = this.byUser.get(userId);
    if (st) {
      st.errors = {};
      delete st.formError;
      if (st.stack.length === 0) this.byUser.delete(userId);
    }
    this.changed();
  }
}
