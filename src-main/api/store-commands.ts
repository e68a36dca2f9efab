import type { ClusterController } from '../cluster/cluster-controller.js';
import { browseQueue, sendMessage } from '../cluster/store-client.js';
import { LabApiError } from './lab-errors.js';
import type { LabResults } from './contract/index.js';
import type { LabParsedPayload } from './lab-schemas.js';

/**
 * `store/browse`, `store/send`, `store/purge`, `store/subscriptions`: done through the brokers, as a
 * client or an operator would (STOMP to the master, purge on its control channel); only durable
 * subscriptions are read from the store (`ACTIVEMQ_ACKS`), like the lock row.
 */

/** The master and the port of its first STOMP-over-TCP connector. */
function master(cluster: ClusterController): { broker: string; port: number } {
  const masters = cluster.status().brokers.filter((b) => b.role === 'master');
  if (masters.length !== 1) throw new LabApiError('conflict', masters.length === 0 ? 'no master right now: wait for one (or start the brokers)' : `${masters.length} brokers claim to be master: refusing to pick one`);
  const m = masters[0]!;
  const connector = m.connectors.find((c) => /^(stomp|tcp)(\+nio)?:/.test(c.uri));
  if (!connector) throw new LabApiError('unsupported', `${m.name} has no stomp:// connector the lab can use`);
  return { broker: m.name, port: connector.port };
}

export async function browse(cluster: ClusterController, p: LabParsedPayload<'store/browse'>): Promise<LabResults['store/browse']> {
  const { broker, port } = master(cluster);
  return { destination: p.destination, broker, ...(await browseQueue(port, p.destination, p.limit)) };
}

export async function send(cluster: ClusterController, p: LabParsedPayload<'store/send'>): Promise<LabResults['store/send']> {
  const { broker, port } = master(cluster);
  return { destination: p.destination, broker, ...(await sendMessage(port, p.destination, p.body, p.headers, p.persistent)) };
}

export async function purge(cluster: ClusterController, p: LabParsedPayload<'store/purge'>): Promise<LabResults['store/purge']> {
  const { broker } = master(cluster);
  const result = await cluster.broker(broker).request({ cmd: 'purge', destination: p.destination });
  return { destination: p.destination, broker, purged: result.purged };
}

export async function subscriptions(cluster: ClusterController): Promise<LabResults['store/subscriptions']> {
  try {
    return { subscriptions: await cluster.store.inspector.subscriptions() };
  } catch (error) {
    throw new LabApiError('failed', `cannot read ACTIVEMQ_ACKS: ${(error as Error).message}`, { cause: error });
  }
}
