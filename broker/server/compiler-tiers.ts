import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags a broker turns off while it is a slave and back on when it becomes master.
 *
 * A slave runs nothing hot: it loads its config and waits for the lock. Yet the little path work of
 * loading its modules is enough for V8 to compile a few functions with TurboFan (and Sparkplug),
 * which maps about 4.5 MB more of the node binary's code into the process (measured on a waiting
 * slave: RssFile 43.7 → 39.2 MB). Those pages are resident for as long as the slave waits, and a
 * slave may wait for weeks. The master needs both compilers, so they come back on before it
 * recovers its store (V8 reads these flags at each tiering decision; toggling them at run time was
 * checked on Node 20: functions that were warm before still get optimized afterwards).
 */
const SLAVE_FLAGS = ['--no-turbofan', '--no-sparkplug'] as const;
const MASTER_FLAGS = ['--turbofan', '--sparkplug'] as const;

/** Whoever started Node chose the tiers (`--jitless`, `--no-opt`, ...): leave them alone. */
const USER_TIER_FLAG = /--(no-)?(turbofan|opt|sparkplug|jitless|max-opt|maglev)\b/;

export interface CompilerTiers {
  /** Turns the optimizing tiers back on; idempotent. */
  forMaster(): void;
}

/** Turns the optimizing tiers off until `forMaster()`, unless the process was started with tier flags. */
export function slaveCompilerTiers(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
  setFlags: (flags: string) => void = setFlagsFromString,
): CompilerTiers {
  if (execArgv.some((a) => USER_TIER_FLAG.test(a)) || USER_TIER_FLAG.test(nodeOptions)) return { forMaster: () => {} };
  // A Node whose V8 refuses flags after start keeps its compilers on: memory, never correctness.
  try {
    for (const flag of SLAVE_FLAGS) setFlags(flag);
  } catch {
    return { forMaster: () => {} };
  }
  let restored = false;
  return {
    forMaster: () => {
      if (restored) return;
      restored = true;
      try {
        for (const flag of MASTER_FLAGS) setFlags(flag);
      } catch {
        // Not reached where the slave flags were taken; nothing else to restore.
      }
    },
  };
}
