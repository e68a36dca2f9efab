import { afterEach, describe, expect, it } from 'vitest';
import { request, TestScope } from './test-client.fixture.js';

// Values from frames that the store keeps in VARCHAR(250) columns get an ERROR naming the header
// and the column, before anything is stored (PostgreSQL would refuse them inside the master's
// store transaction).
const scope = new TestScope();
afterEach(() => scope.close());
const name = (n: number) => 'q'.repeat(n);

describe('values bounded by their store column', () => {
  it('accepts a queue whose store name queue://NAME is 250 characters and refuses 251 (ACTIVEMQ_MSGS.CONTAINER)', async () => {
    const c = await scope.open();
    expect(await request(c, 'SEND', { destination: `/queue/${name(242)}`, persistent: 'true' }, 'fits')).toBe('RECEIPT');
    const refused = await scope.open();
    expect(await request(refused, 'SEND', { destination: `/queue/${name(243)}`, persistent: 'true' }, 'too long')).toMatch(
      /^ERROR destination queue:\/\/q+\.\.\. is 251 characters long; it is stored in ACTIVEMQ_MSGS\.CONTAINER, which holds at most 250/,
    );
    expect(await scope.started.store.containers()).toEqual([`queue://${name(242)}`]);
  });

  it('refuses a SUBSCRIBE to a topic whose store name is too long, but not a wildcard one', async () => {
    const c = await scope.open();
    expect(await request(c, 'SUBSCRIBE', { destination: `/topic/${name(243)}`, id: 's' })).toMatch(/^ERROR destination topic:.*ACTIVEMQ_MSGS\.CONTAINER/);
    const w = await scope.open();
    expect(await request(w, 'SUBSCRIBE', { destination: `/topic/${name(243)}.>`, id: 'w' })).toBe('RECEIPT');
  });

  it('refuses a producer-id longer than ACTIVEMQ_MSGS.MSGID_PROD', async () => {
    const c = await scope.open();
    expect(await request(c, 'SEND', { destination: '/queue/p', persistent: 'true', 'producer-id': 'p'.repeat(250), 'producer-seq': '1' }, 'a')).toBe('RECEIPT');
    const refused = await scope.open();
    expect(await request(refused, 'SEND', { destination: '/queue/p', persistent: 'true', 'producer-id': 'p'.repeat(251), 'producer-seq': '2' }, 'b')).toMatch(
      /^ERROR producer-id is 251 characters long; it is stored in ACTIVEMQ_MSGS\.MSGID_PROD/,
    );
  });

  it('refuses a durable subscription whose client-id, name or selector is longer than its ACTIVEMQ_ACKS column', async () => {
    const longClient = await scope.open('1.2', { 'client-id': 'c'.repeat(251) });
    expect(await request(longClient, 'SUBSCRIBE', { destination: '/topic/t', id: '1', 'activemq.subscriptionName': 'sub' })).toMatch(/^ERROR client-id is 251 characters long; it is stored in ACTIVEMQ_ACKS\.CLIENT_ID/);
    const longName = await scope.open('1.2', { 'client-id': 'c1' });
    expect(await request(longName, 'SUBSCRIBE', { destination: '/topic/t', id: '1', 'activemq.subscriptionName': 's'.repeat(251) })).toMatch(/^ERROR activemq\.subscriptionName is 251 characters long; it is stored in ACTIVEMQ_ACKS\.SUB_NAME/);
    const longSelector = await scope.open('1.2', { 'client-id': 'c2' });
    const selector = `x = '${'v'.repeat(245)}'`;
    expect(await request(longSelector, 'SUBSCRIBE', { destination: '/topic/t', id: '1', 'activemq.subscriptionName': 'sub', selector })).toMatch(/^ERROR selector \(stored with the convert_string_expressions: prefix ActiveMQ adds to STOMP selectors\) is 278 characters long; it is stored in ACTIVEMQ_ACKS\.SELECTOR/);
    const fits = await scope.open('1.2', { 'client-id': 'c'.repeat(250) });
    expect(await request(fits, 'SUBSCRIBE', { destination: '/topic/t', id: '1', 'activemq.subscriptionName': 's'.repeat(250) })).toBe('RECEIPT');
  });
});
