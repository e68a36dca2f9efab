import type { DataStructure } from '../codec/marshal.js';
import type { OpenWireConnection } from '../connection.js';
import { consumerKey, producerKey, sessionKey, T } from '../ids.js';
import { JmsError, JMS_EXCEPTION, SECURITY_EXCEPTION } from '../jms-error.js';
import type { Step } from './index.js';
import { LAST_DELIVERED_UNKNOWN } from '../state.js';

/**
 * ConnectionInfo: the client's ConnectionId scopes its temporary destinations and noLocal; a
 * failover reconnect (same ConnectionId) replaces a socket the broker still thinks is open.
 * `userName` / `password` go to the authentication plugin, if any: a refusal is a SecurityException
 * and the connection closes, as ActiveMQ's TransportConnection stops it.
 */
export function onConnectionInfo(c: OpenWireConnection, info: DataStructure): Step {
  const id = (info.connectionId as DataStructure | null)?.value;
  if (typeof id !== 'string') throw new JmsError(JMS_EXCEPTION, 'ConnectionInfo without a ConnectionId');
  if (c.state.connectionId !== null && c.state.connectionId !== id) throw new JmsError(JMS_EXCEPTION, 'a second ConnectionInfo on one connection');
  const auth = c.core.security.authenticate(optional(info.userName), optional(info.password));
  if (auth.kind === 'refused') throw new JmsError(SECURITY_EXCEPTION, auth.message, true);
  c.security = auth.context;
  c.state.connectionId = id;
  c.state.clientId = typeof info.clientId === 'string' ? info.clientId : id;
  c.state.failoverReconnect = info.failoverReconnect === true;
  c.claimConnectionId(id);
  return () => c.respond(info);
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function onSessionInfo(c: OpenWireConnection, info: DataStructure): Step {
  return () => c.respond(info);
}

/** RemoveInfo of a consumer, producer, session or the connection itself. */
export function onRemoveInfo(c: OpenWireConnection, remove: DataStructure): Step {
  const id = remove.objectId as DataStructure | null;
  if (id === null) throw new JmsError(JMS_EXCEPTION, 'RemoveInfo without an id');
  if (![T.consumerId, T.producerId, T.sessionId, T.connectionId].includes(id.type as 122)) throw new JmsError(JMS_EXCEPTION, `RemoveInfo of data type ${id.type}`);
  // In command order: an ack before it (perhaps still being committed) settles first.
  return () => {
    const lastDelivered = (remove.lastDeliveredSequenceId as number | undefined) ?? LAST_DELIVERED_UNKNOWN;
    if (id.type === T.consumerId) c.state.removeConsumer(consumerKey(id), lastDelivered);
    else if (id.type === T.producerId) c.state.producers.delete(producerKey(id));
    else if (id.type === T.sessionId) c.state.removeSession(sessionKey(id), lastDelivered);
    // The connection: ShutdownInfo and the socket's close follow; its consumers leave now.
    else c.state.release();
    c.respond(remove);
  };
}

/** A KeepAliveInfo that asks for an answer is echoed with the flag cleared. */
export function onKeepAlive(c: OpenWireConnection, keepAlive: DataStructure): Step {
  return () => {
    if (keepAlive.responseRequired === true) c.write({ type: 10, commandId: 0, responseRequired: false });
  };
}

export function onShutdown(c: OpenWireConnection): Step {
  return () => c.close();
}

/** Client-sent ConnectionControl (a failover reconnect says faultTolerant): nothing to change here. */
export function onConnectionControl(c: OpenWireConnection, control: DataStructure): Step {
  return () => c.respond(control);
}
