import type express from 'express';
import { FakeSlack } from '../slack/fake/fake-slack.js';
import type { Registrations } from '../slack/registrations.js';
import { workspaceRoutes, type WorkspaceRoutes } from './web/routes.js';
import { LocalWorkspace } from './web/workspace.js';

/**
 * Local mode's pieces, loaded by the app only when there are no Slack credentials (and never
 * in production, where config refuses local mode): the fake Slack Web API and the workspace
 * page, mounted on docket's own port. Nothing in the product imports this module statically.
 */
export function mountFakeSlack(web: express.Express, token: string): FakeSlack {
  const fake = new FakeSlack({ token });
  web.use(fake.router());
  return fake;
}

export function mountWorkspace(web: express.Express, o: { fake: FakeSlack; secret: string; registrations: Registrations }): { workspace: LocalWorkspace; routes: WorkspaceRoutes } {
  const workspace = new LocalWorkspace(o);
  const routes = workspaceRoutes(workspace);
  web.use(routes.router);
  return { workspace, routes };
}
