import { cases } from './cases/index.js';
import type { Feature } from './feature.js';
import { groups } from './groups/index.js';
import { items } from './items/index.js';
import { meetings } from './meetings/index.js';
import { digest } from './digest/index.js';
import { stats } from './stats/index.js';
import { installations } from './installations/index.js';

/** Every feature docket has. A new one is its folder and one line here. */
export const features: readonly Feature[] = [groups, cases, items, meetings, stats, digest];

/**
 * What a deployment installed into many workspaces through OAuth adds (SLACK_CLIENT_ID):
 * hearing that a workspace uninstalled docket. A single-workspace one leaves it out.
 */
export const oauthFeatures: readonly Feature[] = [installations];
