import { describe, expect, it } from 'vitest';
import { memoryGrowth, processRssMb, type MemorySample } from './memory-sampler.js';

const sample = (fault: number, lab: number, brokers: number[]): MemorySample => ({
  fault,
  ts: fault * 1000,
  labRssMb: lab,
  brokers: brokers.map((rssMb, i) => ({ name: `broker${i + 1}`, pid: 100 + i, rssMb })),
});

describe('memory samples of a soak', () => {
  it('measures growth from fault 50 to the end, for the lab host and the largest live broker', () => {
    const samples = [sample(0, 60, [50]), ...Array.from({ length: 200 }, (_, i) => sample(i + 1, i + 1 < 50 ? 70 : 80, [55, i + 1 < 50 ? 60 : 66]))];
    expect(memoryGrowth(samples)).toEqual({ fromFault: 50, toFault: 200, labRssMb: { from: 80, to: 80, growthPct: 0 }, brokerRssMb: { from: 66, to: 66, growthPct: 0 } });
  });

  it('starts a shorter soak after a quarter of its faults', () => {
    const samples = Array.from({ length: 21 }, (_, i) => sample(i, 50 + i, [40 + i]));
    expect(memoryGrowth(samples)).toMatchObject({ fromFault: 5, toFault: 20, labRssMb: { from: 55, to: 70, growthPct: 27.3 } });
  });

  it('has nothing to say about fewer than two samples', () => {
    expect(memoryGrowth([sample(0, 50, [40])])).toBeNull();
  });

  it('reads a live process’s RSS and none of a process that is gone', () => {
    expect(processRssMb(process.pid)).toBeGreaterThan(1);
    expect(processRssMb(2 ** 22 + 1)).toBeNull();
  });
});
