import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ControlResults } from '../../broker/server/index.js';
import type { BrokerHandle } from './broker-handle.js';
import { parseControlResult } from './control-results.js';

describe('control request results', () => {
  it('types the purge reply and accepts the broker\'s result', () => {
    expectTypeOf<ReturnType<BrokerHandle['request']>>().toEqualTypeOf<Promise<ControlResults['purge']>>();
    expect(parseControlResult('purge', { destination: '/queue/a', purged: 3 })).toEqual({ destination: '/queue/a', purged: 3 });
  });

  it('refuses a purge reply without a count, saying what is missing', () => {
    expect(parseControlResult('purge', { destination: '/queue/a' })).toMatch(/^purge: .*purged/);
    expect(parseControlResult('purge', null)).toMatch(/^purge: /);
  });

  it('sends only commands answered at once through sendControl', () => {
    type Sendable = Parameters<BrokerHandle['sendControl']>[0]['cmd'];
    expectTypeOf<Sendable>().toEqualTypeOf<'status' | 'stop' | 'simulate-db-failure' | 'set-clock-offset'>();
  });
});
