import type { DestinationName } from '../destination/destination-name.js';
import type { Right } from '../security/index.js';
import type { OpenWireConnection } from './connection.js';
import { JmsError, SECURITY_EXCEPTION } from './jms-error.js';

/**
 * ActiveMQ's AuthorizationBroker for one OpenWire command: `right` on each destination, then
 * `admin` when one does not exist yet, because using it creates it (as STOMP's authorize). A
 * refusal is a java.lang.SecurityException (the JMS client throws JMSSecurityException) with
 * SecurityPolicy's wording; the caller has changed nothing yet.
 */
export function authorize(c: OpenWireConnection, right: Right, names: readonly DestinationName[], options: { create?: boolean } = {}): void {
  const security = c.core.security;
  if (!security.enabled) return;
  for (const name of names) {
    let refusal = security.check(c.security, right, name);
    const creates = options.create ?? true;
    if (refusal === null && right !== 'admin' && creates && !name.wildcard && !c.core.destinations.has(name)) refusal = security.check(c.security, 'admin', name);
    if (refusal === null) continue;
    c.log.log('warn', 'OpenWire operation refused', { user: c.security.userName, right, destination: name.container });
    throw new JmsError(SECURITY_EXCEPTION, refusal);
  }
}
