import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerProcess, portAccepts, tempDir } from '../support/broker-process.js';
import { sendReceipted } from '../support/stompit-producer.js';

const SEED = fileURLToPath(new URL('../fixtures/config/seed-jdbc-master-slave.xml', import.meta.url));
// The seed's only connector: tcp://localhost:61616. Brokers started from it share that port, which
// works precisely because only the master ever opens it.
const SEED_PORT = 61616;

let brokers: BrokerProcess[] = [];
afterEach(async () => {
  await Promise.all(brokers.map((b) => b.stop()));
  brokers = [];
});

describe("the seed page's own activemq.xml, unchanged", () => {
  it('runs two brokers on one machine: the master serves tcp://localhost:61616, the slave takes over after kill -9', async () => {
    const dir = tempDir('seed');
    const config = join(dir, 'activemq.xml');
    copyFileSync(SEED, config);
    // No -D at all: ${activemq.base} defaults to the working directory, as `bin/activemq` sets it.
    const first = new BrokerProcess('first', SEED_PORT, ['--config', config, '--name', 'first'], dir);
    brokers.push(first);
    await first.waitForState('master');
    const second = new BrokerProcess('second', SEED_PORT, ['--config', config, '--name', 'second'], dir);
    brokers.push(second);
    await second.waitForState('waiting-for-lock');
    expect(first.statuses.at(-1)?.connectors[0]?.port).toBe(SEED_PORT);

    const receipted = await sendReceipted(SEED_PORT, '/queue/seed', 20);
    expect(receipted).toHaveLength(20);
    first.signal('SIGKILL');
    await first.exit;
    await second.waitForState('master');
    expect(await portAccepts(SEED_PORT)).toBe(true);
    expect(second.stderr).not.toMatch(/ error /);
  });
});
