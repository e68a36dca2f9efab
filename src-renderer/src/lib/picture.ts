import type { BrokerStatus } from '../../../src-main/api/contract/index.js';
import type { MasterChange } from '../stores/cluster.js';

export interface Picture {
  /** 1, 2 or 3: the seed's pictures (startup, master failed, master restarted); 0: no master. */
  number: 0 | 1 | 2 | 3;
  title: string;
  text: string;
}

/** Which of the seed's three JDBC Master/Slave pictures the live cluster shows now. */
export function currentPicture(brokers: readonly BrokerStatus[], change: MasterChange | null): Picture {
  const master = brokers.find((b) => b.role === 'master');
  if (!master) {
    const waiting = brokers.filter((b) => b.role === 'slave').length;
    return { number: 0, title: 'No master', text: waiting > 0 ? `${waiting} slave(s) wait for the lock; nobody holds it yet.` : 'No broker runs: start one.' };
  }
  const old = change?.from ? brokers.find((b) => b.name === change.from) : undefined;
  if (change?.from && change.to === master.name && old) {
    if (old.role === 'slave') return { number: 3, title: 'Master restarted', text: `${old.name} came back and waits as a slave: ${master.name} keeps the lock.` };
    return { number: 2, title: 'Master failed', text: `${old.name} lost the lock; ${master.name} took it, opened its connectors and serves the stored messages.` };
  }
  return { number: 1, title: 'Startup', text: `${master.name} took the lock and is master: only it opens its transport connectors. The others wait for the lock as slaves.` };
}
