/**
 * The fake Slack in a process of its own, for benchmarks: real Slack is not in docket's
 * process, so its work (recording calls, checking blocks) must not be billed to docket.
 * Prints its base URL on the first line of stdout.
 */
import { FakeSlack } from '../src/slack/fake/fake-slack.js';

const fake = new FakeSlack({ token: process.argv[2] ?? 'xoxb-bench' });
const url = await fake.listen();
// A benchmark sends many thousands of calls; keep the record from growing without bound.
fake.on('call', () => {
  if (fake.calls.length > 1000) fake.calls.splice(0, 500);
  if (fake.messages.length > 1000) fake.messages.splice(0, 500);
});
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
