import type { BrokerMessage } from '../message.js';
import type { PropertyLookup, SelectorValue } from './selector.js';
import { typedToSelector } from '../typed-value.js';

/**
 * What a selector sees of a message, as ActiveMQ's STOMP translator builds it: the JMS header
 * fields by their JMS names (typed), `JMSXGroupSeq` as a number, and every other STOMP header as a
 * string property.
 */
export function messageProperties(message: BrokerMessage): PropertyLookup {
  return (name) => {
    switch (name) {
      case 'JMSPriority':
        return message.priority;
      case 'JMSTimestamp':
        return message.timestamp;
      case 'JMSExpiration':
        return message.expires;
      case 'JMSDeliveryMode':
        return message.persistent ? 'PERSISTENT' : 'NON_PERSISTENT';
      case 'JMSMessageID':
        return message.messageId;
      case 'JMSRedelivered':
        return message.redeliveryCounter > 0;
      case 'JMSXDeliveryCount':
        return message.redeliveryCounter + 1;
      case 'JMSCorrelationID':
        return header(message, 'correlation-id');
      case 'JMSType':
        return header(message, 'type');
      case 'JMSXGroupSeq': {
        const seq = header(message, 'JMSXGroupSeq');
        return seq === null ? null : Number(seq);
      }
      default: {
        // A JMS producer's typed property keeps its type (`ip > 3` compares numbers).
        const typed = message.jms?.typedProperties.get(name);
        return typed === undefined ? header(message, name) : typedToSelector(typed);
      }
    }
  };
}

function header(message: BrokerMessage, name: string): SelectorValue {
  for (const [key, value] of message.properties) if (key === name) return value;
  return null;
}
