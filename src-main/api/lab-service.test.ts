import { describe, expect, it } from 'vitest';
import { LabService, validateConfig } from './lab-service.js';
import type { ProcessLauncher } from '../cluster/process-launcher.js';

const LEASE = (holder: string) => `<beans><broker xmlns="http://activemq.apache.org/schema/core" brokerName="b">
  <persistenceAdapter><jdbcPersistenceAdapter lockKeepAlivePeriod="1000"><locker><lease-database-locker lockAcquireSleepInterval="5000" ${holder}/></locker></jdbcPersistenceAdapter></persistenceAdapter>
  <transportConnectors><transportConnector name="s" uri="stomp://127.0.0.1:61613"/></transportConnectors></broker></beans>`;

const noLauncher: ProcessLauncher = {
  launch() {
    throw new Error('no process in this test');
  },
};

describe('LabService', () => {
  it('validates every payload before acting', async () => {
    const service = new LabService({ launcher: noLauncher, labDir: '/nonexistent' });
    await expect(service.invoke('broker/kill', { broker: 7 } as never)).rejects.toMatchObject({ reason: 'bad-request', message: expect.stringMatching(/^broker\/kill: broker:/) });
    await expect(service.invoke('nope/never' as never, {} as never)).rejects.toMatchObject({ reason: 'not-found' });
  });

  it('says to create a cluster first when there is none', async () => {
    const service = new LabService({ launcher: noLauncher, labDir: '/nonexistent' });
    await expect(service.invoke('cluster/status', {})).rejects.toMatchObject({ reason: 'conflict', message: expect.stringContaining('cluster/create') });
  });
});

describe('validateConfig', () => {
  it('finds a fixed leaseHolderId shared by every broker of the template', () => {
    const result = validateConfig(LEASE('leaseHolderId="same"'), 3);
    expect(result.ok).toBe(false);
    expect(result.cluster[0]?.code).toBe('duplicate-lease-holder-id');
  });

  it('accepts a template whose holder id defaults to each broker name', () => {
    const result = validateConfig(LEASE(''), 3);
    expect(result).toMatchObject({ ok: true, cluster: [] });
  });

  it('returns positioned diagnostics for broken XML', () => {
    const result = validateConfig('<beans><broker>', 1);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'xml-not-well-formed', line: 1 });
  });
});
