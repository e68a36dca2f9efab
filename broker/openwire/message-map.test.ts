import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { destinationName } from '../destination/destination-name.js';
import type { BrokerMessage } from '../destination/message.js';
import { decodeMessage, encodeMessage } from '../destination/message-codec.js';
import { DataWriter } from './codec/data-io.js';
import { encodeMap } from './codec/primitive-map.js';
import { toBrokerMessage, toWireMessage } from './message-map.js';
import { cmd } from './test-client.fixture.js';

const queue = destinationName('queue', 'q');

function textContent(s: string): Buffer {
  const w = new DataWriter();
  w.bigUtf(s);
  return w.toBuffer();
}

describe('JMS message <-> broker message', () => {
  it('a JMS text message becomes UTF-8 text with STOMP-named headers, typed properties kept through the store', () => {
    const wire = {
      ...cmd.textMessage('ID:p', 'q', 3),
      type: 28,
      content: textContent('héllo 😀'),
      correlationId: 'c-1',
      jmsType: 't',
      replyTo: { type: 102, physicalName: 'ID:p:1' },
      marshalledProperties: encodeMap(new Map([['n', { t: 'long', v: 5n }], ['b', { t: 'boolean', v: true }]] as Array<[string, never]>)),
      timestamp: 1000,
      expiration: 0,
    };
    const message = toBrokerMessage(wire, queue, 1, 2000);
    expect(message.body.toString('utf8')).toBe('héllo 😀');
    expect(message.messageId).toBe('ID:p:1:1:3');
    expect(message.producerId).toBe('ID:p:1:1');
    expect(message.producerSeq).toBe(3);
    expect(message.properties).toEqual([
      ['correlation-id', 'c-1'],
      ['reply-to', '/remote-temp-queue/ID:p:1'],
      ['type', 't'],
      ['n', '5'],
      ['b', 'true'],
    ]);
    const row = { id: 9, container: 'queue://q', producerId: null, producerSeq: null, expiration: 0, priority: 4, msg: encodeMessage(message) };
    const stored = decodeMessage(row, 1) as BrokerMessage;
    expect(stored.jms).toEqual(message.jms);
    expect(stored.properties).toEqual(message.properties);
    const back = toWireMessage(stored, 'ID:other');
    expect(back.type).toBe(28);
    expect(back.content).toEqual(wire.content);
    expect(back.marshalledProperties).toEqual(wire.marshalledProperties);
    expect(back.replyTo).toEqual({ type: 102, physicalName: 'ID:p:1' });
    expect(back.messageId).toMatchObject({ producerId: { connectionId: 'ID:p', sessionId: 1, value: 1 }, producerSequenceId: 3 });
  });

  it('inflates compressed text and bytes bodies', () => {
    const text = toBrokerMessage({ ...cmd.textMessage('ID:p', 'q', 1), type: 28, compressed: true, content: deflateSync(textContent('zipped')) }, queue, 1, 0);
    expect(text.body.toString()).toBe('zipped');
    const raw = Buffer.from([1, 2, 3, 4]);
    const length = Buffer.alloc(4);
    length.writeInt32BE(raw.length);
    const bytes = toBrokerMessage({ ...cmd.textMessage('ID:p', 'q', 2), type: 24, compressed: true, content: Buffer.concat([length, deflateSync(raw)]) }, queue, 2, 0);
    expect(bytes.body).toEqual(raw);
    expect(bytes.bytesMessage).toBe(true);
  });

  it('a STOMP message reaches JMS as text (or bytes with content-length), headers as JMS fields and String properties', () => {
    const stomp: BrokerMessage = {
      messageId: 'ID:b-1-0:4:-1:1:17',
      destination: queue,
      persistent: true,
      priority: 4,
      expires: 0,
      timestamp: 5,
      properties: [['correlation-id', 'c'], ['reply-to', '/queue/replies'], ['colour', 'blue']],
      body: Buffer.from('hi'),
      bytesMessage: false,
      storeId: 1,
      producerId: null,
      producerSeq: null,
      redeliveryCounter: 1,
      seq: 3,
    };
    const wire = toWireMessage(stomp, 'ID:c');
    expect(wire.type).toBe(28);
    expect(wire.correlationId).toBe('c');
    expect(wire.replyTo).toEqual({ type: 100, physicalName: 'replies' });
    expect(wire.content).toEqual(textContent('hi'));
    expect(wire.marshalledProperties).toEqual(encodeMap(new Map([['colour', { t: 'string', v: 'blue' }]])));
    expect(wire.redeliveryCounter).toBe(1);
    expect(wire.messageId).toMatchObject({ producerId: { connectionId: 'ID:b-1-0:4', sessionId: -1, value: 1 }, producerSequenceId: 17 });
    expect(toWireMessage({ ...stomp, bytesMessage: true }, 'ID:c').type).toBe(24);
  });
});
