import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BROKER_MAIN, tempDir, writeFile } from '../support/broker-process.js';

const run = promisify(execFile);
const CLI = new URL('../../bin/failover-lab.cjs', import.meta.url).pathname;

async function exitOf(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const BROKEN = `<beans>
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="b">
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:\${port}"/>
    </transportConnectors>
  </broker
</beans>
`;

describe('a broken config', () => {
  it('makes the broker print a positioned diagnostic and exit with code 2, without a stack trace', async () => {
    const dir = tempDir('broken');
    const file = writeFile(dir, 'activemq.xml', BROKEN);
    const { code, stderr } = await exitOf([BROKER_MAIN, '--config', file], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ error`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('makes `failover-lab config check` exit 2, and 0 once it is fixed', async () => {
    const dir = tempDir('check');
    const broken = writeFile(dir, 'broken.xml', BROKEN);
    const bad = await exitOf([CLI, 'config', 'check', broken], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/broken\.xml:\d+:\d+ error/);
    const fixed = writeFile(dir, 'fixed.xml', BROKEN.replace('</broker\n', '</broker>\n'));
    const good = await exitOf([CLI, 'config', 'check', fixed, '-D', 'port=61613'], dir);
    expect(good.stdout).not.toMatch(/ error /);
    expect(good.code).toBe(0);
  });
});
