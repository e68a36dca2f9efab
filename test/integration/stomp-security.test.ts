import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../support/cluster.js';
import { stompitClose, stompitCollect, stompitOpen, stompitSend } from '../support/stomp-stompit.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../support/py_conformance.py', import.meta.url));

/** The users and rights test/support/py_conformance.py's `security` scenario expects. */
const PLUGINS = `
      <simpleAuthenticationPlugin>
        <users>
          <authenticationUser username="admin" password="secret" groups="admins"/>
          <authenticationUser username="app" password="pw" groups="users"/>
          <authenticationUser username="reader" password="pw" groups="readers"/>
        </users>
      </simpleAuthenticationPlugin>
      <authorizationPlugin><map><authorizationMap><authorizationEntries>
        <authorizationEntry queue=">" read="admins" write="admins" admin="admins"/>
        <authorizationEntry queue="SEC.>" read="readers" write="users"/>
        <!-- stompitCollect's receipted sync SEND (test/support/stomp-stompit.ts) -->
        <authorizationEntry topic="stompit.sync" read="readers" write="readers" admin="readers"/>
      </authorizationEntries></authorizationMap></map></authorizationPlugin>`;

describe.each(['sqlite', 'postgres'] as const)('security plugins on real brokers (%s)', (store) => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await new Cluster({ store, locker: 'database-locker', brokers: 2, plugins: PLUGINS }).start();
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('[ActiveMQ simpleAuthenticationPlugin] stompit with a wrong passcode gets ActiveMQ\'s refusal', async () => {
    const master = await cluster.waitForMaster();
    await expect(stompitOpen(master.port, '1.2', { login: 'app', passcode: 'wrong' })).rejects.toThrow(/User name \[app\] or password is invalid\./);
  });

  it('[ActiveMQ authorizationPlugin] python3-stomp: admin creates, app writes but may not create, reader may not write', async () => {
    const master = await cluster.waitForMaster();
    const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, String(master.port), 'security'], { timeout: 30_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
      created: true,
      sent: true,
      refusal: 'User app is not authorized to create: queue://SEC.new',
      still_usable: true,
      reader_refusal: 'User reader is not authorized to write to: queue://SEC.orders',
    });
  });

  it('after kill -9 of the master the new one enforces the same rights and serves every stored message', async () => {
    const old = await cluster.waitForMaster();
    old.signal('SIGKILL');
    await old.exit;
    const master = await cluster.waitForMaster(15_000, old);
    // SEC.orders has stored messages, so the new master recovered it: app's write right is enough.
    const app = await stompitOpen(master.port, '1.2', { login: 'app', passcode: 'pw' });
    await stompitSend(app.client, { destination: '/queue/SEC.orders', persistent: 'true' }, 'after failover');
    await stompitClose(app.client);
    const reader = await stompitOpen(master.port, '1.2', { login: 'reader', passcode: 'pw' });
    const got = await stompitCollect(reader.client, { destination: '/queue/SEC.orders', id: 'r', ack: 'auto' });
    const bodies = (await got.waitFor(4)).map((m) => m.body);
    expect(bodies).toEqual(['by admin', 'by app', 'by app again', 'after failover']);
    await stompitClose(reader.client);
    await expect(stompitOpen(master.port, '1.2', { login: 'reader', passcode: 'nope' })).rejects.toThrow(/User name \[reader\] or password is invalid\./);
  });
});
