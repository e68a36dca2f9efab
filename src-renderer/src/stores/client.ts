import type { LabClient } from '../api/lab-client.js';

let current: LabClient | null = null;

/** The composition root (main.ts) or a test hands the stores their LabApi client once. */
export function setLabClient(client: LabClient): void {
  current = client;
}

export function labClient(): LabClient {
  if (!current) throw new Error('no LabApi client: main.ts sets it before mounting the app');
  return current;
}
