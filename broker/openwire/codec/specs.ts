/**
 * The loose-encoding field lists of every OpenWire type a JMS client exchanges, in wire order,
 * as the v12 marshallers write them; a field with `since` is absent below that version.
 * Field kinds: cached = nested while caching is off (we never negotiate it on).
 */
export type FieldKind = 'bool' | 'byte' | 'short' | 'int' | 'long' | 'string' | 'bytes' | 'nested' | 'nested[]' | 'throwable';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  since?: number;
}

export interface TypeSpec {
  name: string;
  /** BaseCommand subtypes start with commandId + responseRequired. */
  command: boolean;
  fields: readonly FieldSpec[];
}

const f = (name: string, kind: FieldKind, since?: number): FieldSpec => (since === undefined ? { name, kind } : { name, kind, since });

const MESSAGE_FIELDS: readonly FieldSpec[] = [
  f('producerId', 'nested'),
  f('destination', 'nested'),
  f('transactionId', 'nested'),
  f('originalDestination', 'nested'),
  f('messageId', 'nested'),
  f('originalTransactionId', 'nested'),
  f('groupId', 'string'),
  f('groupSequence', 'int'),
  f('correlationId', 'string'),
  f('persistent', 'bool'),
  f('expiration', 'long'),
  f('priority', 'byte'),
  f('replyTo', 'nested'),
  f('timestamp', 'long'),
  f('jmsType', 'string'),
  f('content', 'bytes'),
  f('marshalledProperties', 'bytes'),
  f('dataStructure', 'nested'),
  f('targetConsumerId', 'nested'),
  f('compressed', 'bool'),
  f('redeliveryCounter', 'int'),
  f('brokerPath', 'nested[]'),
  f('arrival', 'long'),
  f('userId', 'string'),
  f('receivedByDfBridge', 'bool'),
  f('droppable', 'bool', 2),
  f('cluster', 'nested[]', 3),
  f('brokerInTime', 'long', 3),
  f('brokerOutTime', 'long', 3),
  f('jmsxGroupFirstForConsumer', 'bool', 10),
];

const command = (name: string, fields: readonly FieldSpec[]): TypeSpec => ({ name, command: true, fields });
const data = (name: string, fields: readonly FieldSpec[]): TypeSpec => ({ name, command: false, fields });
const destination = (name: string) => data(name, [f('physicalName', 'string')]);

export const TYPES: ReadonlyMap<number, TypeSpec> = new Map<number, TypeSpec>([
  [2, command('BrokerInfo', [
    f('brokerId', 'nested'), f('brokerUrl', 'string'), f('peerBrokerInfos', 'nested[]'), f('brokerName', 'string'),
    f('slaveBroker', 'bool'), f('masterBroker', 'bool'), f('faultTolerantConfiguration', 'bool'),
    f('duplexConnection', 'bool', 2), f('networkConnection', 'bool', 2), f('connectionId', 'long', 2),
    f('brokerUploadUrl', 'string', 3), f('networkProperties', 'string', 3),
  ])],
  [3, command('ConnectionInfo', [
    f('connectionId', 'nested'), f('clientId', 'string'), f('password', 'string'), f('userName', 'string'),
    f('brokerPath', 'nested[]'), f('brokerMasterConnector', 'bool'), f('manageable', 'bool'), f('clientMaster', 'bool', 2),
    f('faultTolerant', 'bool', 6), f('failoverReconnect', 'bool', 6), f('clientIp', 'string', 8),
  ])],
  [4, command('SessionInfo', [f('sessionId', 'nested')])],
  [5, command('ConsumerInfo', [
    f('consumerId', 'nested'), f('browser', 'bool'), f('destination', 'nested'), f('prefetchSize', 'int'),
    f('maximumPendingMessageLimit', 'int'), f('dispatchAsync', 'bool'), f('selector', 'string'), f('clientId', 'string', 10),
    f('subscriptionName', 'string'), f('noLocal', 'bool'), f('exclusive', 'bool'), f('retroactive', 'bool'), f('priority', 'byte'),
    f('brokerPath', 'nested[]'), f('additionalPredicate', 'nested'), f('networkSubscription', 'bool'),
    f('optimizedAcknowledge', 'bool'), f('noRangeAcks', 'bool'), f('networkConsumerPath', 'nested[]', 4),
  ])],
  [6, command('ProducerInfo', [
    f('producerId', 'nested'), f('destination', 'nested'), f('brokerPath', 'nested[]'), f('dispatchAsync', 'bool', 2), f('windowSize', 'int', 3),
  ])],
  [7, command('TransactionInfo', [f('connectionId', 'nested'), f('transactionId', 'nested'), f('txType', 'byte')])],
  [8, command('DestinationInfo', [
    f('connectionId', 'nested'), f('destination', 'nested'), f('operationType', 'byte'), f('timeout', 'long'), f('brokerPath', 'nested[]'),
  ])],
  [9, command('RemoveSubscriptionInfo', [f('connectionId', 'nested'), f('subscriptionName', 'string'), f('clientId', 'string')])],
  [10, command('KeepAliveInfo', [])],
  [11, command('ShutdownInfo', [])],
  [12, command('RemoveInfo', [f('objectId', 'nested'), f('lastDeliveredSequenceId', 'long', 5)])],
  [14, command('ControlCommand', [f('command', 'string')])],
  [15, command('FlushCommand', [])],
  [16, command('ConnectionError', [f('exception', 'throwable'), f('connectionId', 'nested')])],
  [17, command('ConsumerControl', [
    f('destination', 'nested', 6), f('close', 'bool'), f('consumerId', 'nested'), f('prefetch', 'int'),
    f('flush', 'bool', 2), f('start', 'bool', 2), f('stop', 'bool', 2),
  ])],
  [18, command('ConnectionControl', [
    f('close', 'bool'), f('exit', 'bool'), f('faultTolerant', 'bool'), f('resume', 'bool'), f('suspend', 'bool'),
    f('connectedBrokers', 'string', 6), f('reconnectTo', 'string', 6), f('rebalanceConnection', 'bool', 6), f('token', 'bytes', 8),
  ])],
  [19, command('ProducerAck', [f('producerId', 'nested'), f('size', 'int')])],
  [20, command('MessagePull', [
    f('consumerId', 'nested'), f('destination', 'nested'), f('timeout', 'long'), f('correlationId', 'string', 3), f('messageId', 'nested', 3),
  ])],
  [21, command('MessageDispatch', [f('consumerId', 'nested'), f('destination', 'nested'), f('message', 'nested'), f('redeliveryCounter', 'int')])],
  [22, command('MessageAck', [
    f('destination', 'nested'), f('transactionId', 'nested'), f('consumerId', 'nested'), f('ackType', 'byte'),
    f('firstMessageId', 'nested'), f('lastMessageId', 'nested'), f('messageCount', 'int'), f('poisonCause', 'throwable', 7),
  ])],
  [23, command('ActiveMQMessage', MESSAGE_FIELDS)],
  [24, command('ActiveMQBytesMessage', MESSAGE_FIELDS)],
  [25, command('ActiveMQMapMessage', MESSAGE_FIELDS)],
  [26, command('ActiveMQObjectMessage', MESSAGE_FIELDS)],
  [27, command('ActiveMQStreamMessage', MESSAGE_FIELDS)],
  [28, command('ActiveMQTextMessage', MESSAGE_FIELDS)],
  [29, command('ActiveMQBlobMessage', [...MESSAGE_FIELDS, f('remoteBlobUrl', 'string'), f('mimeType', 'string'), f('deletedByBroker', 'bool')])],
  [30, command('Response', [f('correlationId', 'int')])],
  [31, command('ExceptionResponse', [f('correlationId', 'int'), f('exception', 'throwable')])],
  [32, command('DataResponse', [f('correlationId', 'int'), f('data', 'nested')])],
  [33, command('DataArrayResponse', [f('correlationId', 'int'), f('data', 'nested[]')])],
  [34, command('IntegerResponse', [f('correlationId', 'int'), f('result', 'int')])],
  [100, destination('ActiveMQQueue')],
  [101, destination('ActiveMQTopic')],
  [102, destination('ActiveMQTempQueue')],
  [103, destination('ActiveMQTempTopic')],
  [110, data('MessageId', [f('textView', 'string', 10), f('producerId', 'nested'), f('producerSequenceId', 'long'), f('brokerSequenceId', 'long')])],
  [111, data('LocalTransactionId', [f('value', 'long'), f('connectionId', 'nested')])],
  [112, data('XATransactionId', [f('formatId', 'int'), f('globalTransactionId', 'bytes'), f('branchQualifier', 'bytes')])],
  [120, data('ConnectionId', [f('value', 'string')])],
  [121, data('SessionId', [f('connectionId', 'string'), f('value', 'long')])],
  [122, data('ConsumerId', [f('connectionId', 'string'), f('sessionId', 'long'), f('value', 'long')])],
  [123, data('ProducerId', [f('connectionId', 'string'), f('value', 'long'), f('sessionId', 'long')])],
  [124, data('BrokerId', [f('value', 'string')])],
]);

export const WIRE_FORMAT_INFO = 1;
/** The newest OpenWire version; the 5.x clients send it. */
export const OPENWIRE_VERSION = 12;
