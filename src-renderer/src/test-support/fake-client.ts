import type { LabCommand, LabEvent, LabPayload, LabResult } from '../../../src-main/api/contract/index.js';
import type { BrokerStatus, ClusterStatus } from '../../../src-main/api/contract/index.js';
import { LabCallError } from '../api/lab-client.js';
import type { LabClient } from '../api/lab-client.js';

type Responder = { [C in LabCommand]?: (payload: LabPayload<C> | undefined) => LabResult<C> | Promise<LabResult<C>> };

/** A LabClient answering from a table, recording calls; unknown commands fail like the lab host would. */
export function fakeClient(responders: Responder = {}) {
  const calls: Array<{ command: LabCommand; payload: unknown }> = [];
  let listener: ((e: LabEvent) => void) | null = null;
  const client: LabClient = {
    shell: 'web',
    async call<C extends LabCommand>(command: C, payload?: LabPayload<C>): Promise<LabResult<C>> {
      calls.push({ command, payload });
      const respond = responders[command] as ((p: unknown) => LabResult<C>) | undefined;
      if (!respond) throw new LabCallError(command, 'conflict', 'no cluster: create one first (cluster/create)');
      return respond(payload);
    },
    subscribe(_afterSeq, l, onConnection) {
      listener = l;
      onConnection?.(true);
      return () => (listener = null);
    },
  };
  return { client, calls, emit: (e: LabEvent) => listener?.(e) };
}

export function broker(name: string, role: BrokerStatus['role'], pid: number | null = 100): BrokerStatus {
  return { name, role, pid, connectors: [{ name: 'stomp', uri: 'stomp://127.0.0.1:61613', port: 61613 }], lock: null, clockOffsetMs: 0, lastExit: null, configFile: `/lab/${name}/activemq.xml`, link: null };
}

export function cluster(brokers: BrokerStatus[], linkProxies = false): ClusterStatus {
  return { id: 'c1', dir: '/lab/c1', store: { kind: 'sqlite', location: '/lab/c1/failover-lab.sqlite', limits: [], linkProxies }, lockerKind: 'database-locker', supervise: true, brokers, lock: { holder: 'broker1', epoch: 1, leaseExpiresAt: null } };
}

let seq = 0;
export function stateEvent(name: string, role: BrokerStatus['role'], pid: number | null = 100, ts = 1000): LabEvent {
  return { seq: ++seq, ts, type: 'broker-state', broker: name, role, pid, connectors: [], lock: null };
}
