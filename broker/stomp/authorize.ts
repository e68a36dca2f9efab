import type { DestinationName } from '../destination/destination-name.js';
import { ProtocolError } from '../util/errors.js';
import type { StompConnection } from './connection.js';

/**
 * ActiveMQ's AuthorizationBroker for one SEND (`write`) or SUBSCRIBE (`read`): the right itself
 * first, then `admin` when the destination does not exist yet, because using it creates it
 * ("User x is not authorized to create: queue://y"). A refusal is a non-fatal ERROR and nothing
 * is stored or subscribed.
 */
export function authorize(connection: StompConnection, right: 'read' | 'write', name: DestinationName): void {
  const security = connection.core.security;
  if (!security.enabled) return;
  let refusal = security.check(connection.security, right, name);
  if (refusal === null && !name.wildcard && !connection.core.destinations.has(name)) refusal = security.check(connection.security, 'admin', name);
  if (refusal === null) return;
  connection.log.log('warn', 'STOMP operation refused', { user: connection.security.userName, right, destination: name.container });
  throw new ProtocolError(refusal);
}
