import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** How `failover-lab status|kill|fault ...` find the running lab: `<lab-dir>/state.json`. */
export interface LabState {
  url: string;
  /** The origin + token, for commands. */
  apiBase: string;
  token: string;
  pid: number;
  /** Null when the lab was started without a cluster (`failover-lab ui`). */
  clusterId: string | null;
  startedAt: number;
}

export const DEFAULT_LAB_DIR = '.failover-lab';

export function labDirOf(option: string | undefined): string {
  return resolve(option ?? process.env.FAILOVER_LAB_DIR ?? DEFAULT_LAB_DIR);
}

export function stateFile(labDir: string): string {
  return join(labDir, 'state.json');
}

export async function writeState(labDir: string, state: LabState): Promise<void> {
  await mkdir(labDir, { recursive: true });
  // The token grants control of the lab: readable by this user only.
  await writeFile(stateFile(labDir), JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

export async function readState(labDir: string): Promise<LabState | null> {
  try {
    return JSON.parse(await readFile(stateFile(labDir), 'utf8')) as LabState;
  } catch {
    return null;
  }
}

export async function removeState(labDir: string, pid: number): Promise<void> {
  const state = await readState(labDir);
  if (state?.pid === pid) await rm(stateFile(labDir), { force: true });
}

/** True when a process with this pid exists (a stale state file names a dead one). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
