/**
 * `npm run demo [-- --url http://127.0.0.1:3000]`
 *
 * Fills #fugitive-recovery of a docket running in local mode (`npm start`) with the reference
 * scenario, as its people would: signed commands, forms and button clicks through the local
 * workspace. Refuses to run twice.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { DemoRefused, awaitEscalation, runDemo } from './demo/driver.js';

const { values } = parseArgs({ options: { url: { type: 'string' } } });
const base = values.url ?? `http://127.0.0.1:${loadConfig().port}`;

const up = await fetch(`${base}/_local/directory`).then((r) => r.ok, () => false);
if (!up) {
  console.error(`docket's local workspace is not answering at ${base}: start it with \`npm start\` (no Slack variables set), then run the demo again.`);
  process.exit(1);
}
try {
  const started = Date.now();
  const refs = await runDemo(base, (line) => console.log(`  ${line}`));
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s: cases ${Object.values(refs).join(', ')}.`);
  // What the action items set off: the escalation comes once the channel's earlier posts are out.
  const escalation = await awaitEscalation(base);
  console.log(escalation ? `docket escalated in #fugitive-recovery: ${escalation.split('\n')[0]}` : 'No escalation in #fugitive-recovery yet: is the worker running (npm start runs it)?');
  console.log("About two minutes from now #6 falls due, and bao's reminder of it arrives in his direct message with docket (act as bao to see it).");
  console.log(`Open ${base.replace('127.0.0.1', 'localhost')}/ and look around #fugitive-recovery (try /case list all, or switch to bao to read it in Chinese and see his direct messages).`);
} catch (err) {
  if (err instanceof DemoRefused) {
    console.error(`${err.message}\nTo start over: stop docket, drop its database (dropdb -h 127.0.0.1 -U postgres docket), start it again and rerun the demo.`);
    process.exit(2);
  }
  console.error(`demo failed: ${(err as Error).message}`);
  process.exit(1);
}
