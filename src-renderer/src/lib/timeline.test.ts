import { describe, expect, it } from 'vitest';
import { stateEvent } from '../test-support/fake-client.js';
import { buildTimeline } from './timeline.js';

describe('the timeline model', () => {
  it('cuts role segments per broker at each state change and closes the last one at now', () => {
    const m = buildTimeline([stateEvent('broker1', 'slave', 1, 100), stateEvent('broker1', 'master', 1, 200)], 500);
    expect(m.lanes).toEqual([{ broker: 'broker1', segments: [{ from: 100, to: 200, role: 'slave' }, { from: 200, to: 500, role: 'master' }] }]);
  });

  it('reports the interval in which two brokers were master, naming both', () => {
    const m = buildTimeline(
      [stateEvent('broker1', 'master', 1, 100), stateEvent('broker2', 'master', 2, 300), stateEvent('broker1', 'stopped', null, 450)],
      1000,
    );
    expect(m.dualMaster).toEqual([{ from: 300, to: 450, brokers: ['broker1', 'broker2'] }]);
  });
});
