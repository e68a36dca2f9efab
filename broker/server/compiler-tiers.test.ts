import { describe, expect, it } from 'vitest';
import { slaveCompilerTiers } from './compiler-tiers.js';

describe('compiler tiers of a broker', () => {
  it('turns TurboFan and Sparkplug off for the slave and back on once, for the master', () => {
    const set: string[] = [];
    const tiers = slaveCompilerTiers([], '', (f) => set.push(f));
    expect(set).toEqual(['--no-turbofan', '--no-sparkplug']);
    tiers.forMaster();
    tiers.forMaster();
    expect(set).toEqual(['--no-turbofan', '--no-sparkplug', '--turbofan', '--sparkplug']);
  });

  it('leaves the tiers alone when Node was started with tier flags, on its command line or in NODE_OPTIONS', () => {
    for (const [execArgv, nodeOptions] of [
      [['--jitless'], ''],
      [['--no-opt'], ''],
      [['--max-opt=1'], ''],
      [[], '--max-old-space-size=100 --no-turbofan'],
      [[], '--sparkplug'],
    ] as const) {
      const set: string[] = [];
      slaveCompilerTiers(execArgv, nodeOptions, (f) => set.push(f)).forMaster();
      expect(set, `${execArgv.join(' ')} ${nodeOptions}`).toEqual([]);
    }
  });

  it('does not mistake other flags for tier flags', () => {
    const set: string[] = [];
    slaveCompilerTiers(['--enable-source-maps', '--optimize-for-size'], '--max-semi-space-size=1', (f) => set.push(f));
    expect(set).toEqual(['--no-turbofan', '--no-sparkplug']);
  });

  it('keeps the compilers on when V8 refuses flags after start', () => {
    const tiers = slaveCompilerTiers([], '', () => {
      throw new Error('flags are frozen');
    });
    expect(() => tiers.forMaster()).not.toThrow();
  });
});
