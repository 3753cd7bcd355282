import type { Feature } from '../feature.js';
import { statsEn, statsZh } from './messages.js';

/**
 * The group's statistics: per year, cases opened and closed by outcome, where subjects were
 * found, money recovered and frozen, the median time at large; and the open cases now against
 * the zero target. The figures are src/services/stats.service.ts (the weekly digest reads them
 * too), their rendering src/slack/blocks/stats.ts; `/docket stats [YEAR]` is a subcommand of
 * the groups feature's `/docket`, so this feature brings only its wording.
 */
export const stats: Feature = {
  name: 'stats',
  messages: { en: statsEn, 'zh-CN': statsZh },
};
