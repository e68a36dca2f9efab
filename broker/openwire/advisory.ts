import type { DestinationName } from '../destination/destination-name.js';
import type { BrokerCore } from '../core/index.js';
import type { DataStructure } from './codec/marshal.js';
import { OpenWireConnection } from './connection.js';
import { T, toWireDestination } from './ids.js';

/**
 * Temporary-destination advisories (ActiveMQ.Advisory.TempQueue / TempTopic). The JMS client
 * refuses to send to a temporary destination it has not seen announced ("Cannot publish to a
 * deleted Destination"), so every creation and deletion goes to every advisory consumer, and a new
 * advisory consumer first gets the temporary destinations that exist.
 */
const ADVISORY_TOPIC: Record<'queue' | 'topic', string> = { queue: 'ActiveMQ.Advisory.TempQueue', topic: 'ActiveMQ.Advisory.TempTopic' };

let advisorySeq = 0;

export function isAdvisoryConsumer(info: DataStructure): boolean {
  const name = (info.destination as DataStructure | null)?.physicalName;
  return typeof name === 'string' && name.startsWith('ActiveMQ.Advisory.Temp');
}

/** The owner of a temporary destination `ID:...:n` is the connection `ID:...`. */
function ownerOf(name: DestinationName): string {
  const i = name.physicalName.lastIndexOf(':');
  return i > 0 ? name.physicalName.slice(0, i) : name.physicalName;
}

function advisoryMessage(core: BrokerCore, name: DestinationName, add: boolean): DataStructure {
  const topic = { type: T.topic, physicalName: ADVISORY_TOPIC[name.kind] };
  const producerId = { type: T.producerId, connectionId: `${core.idPrefix}:advisory`, value: 1, sessionId: 1 };
  return {
    type: 23,
    producerId,
    destination: topic,
    messageId: { type: T.messageId, textView: null, producerId, producerSequenceId: ++advisorySeq, brokerSequenceId: advisorySeq },
    persistent: false,
    priority: 4,
    timestamp: core.options.clock.now(),
    jmsType: 'Advisory',
    dataStructure: {
      type: 8,
      commandId: 0,
      responseRequired: false,
      connectionId: { type: T.connectionId, value: ownerOf(name) },
      destination: toWireDestination(name),
      operationType: add ? 0 : 1,
      timeout: 0,
      brokerPath: null,
    },
  };
}

function sendTo(connection: OpenWireConnection, consumer: DataStructure, message: DataStructure): void {
  connection.write({ type: 21, commandId: 0, responseRequired: false, consumerId: consumer.consumerId, destination: message.destination, message, redeliveryCounter: 0 });
}

function wants(consumer: DataStructure, name: DestinationName): boolean {
  const physical = String((consumer.destination as DataStructure | null)?.physicalName ?? '');
  return physical.split(',').includes(ADVISORY_TOPIC[name.kind]);
}

/** Announces a temporary destination's creation or deletion to every advisory consumer. */
export function announceTemp(core: BrokerCore, name: DestinationName, add: boolean): void {
  const message = advisoryMessage(core, name, add);
  for (const connection of OpenWireConnection.openConnections(core)) {
    for (const consumer of connection.state.consumers.values()) {
      if (consumer.subscription === null && wants(consumer.info, name)) sendTo(connection, consumer.info, message);
    }
  }
}

/** A new advisory consumer learns the temporary destinations that exist. */
export function replayTemps(core: BrokerCore, connection: OpenWireConnection, consumer: DataStructure): void {
  for (const destination of core.destinations.all()) {
    if (destination.name.temp && wants(consumer, destination.name)) sendTo(connection, consumer, advisoryMessage(core, destination.name, true));
  }
}
