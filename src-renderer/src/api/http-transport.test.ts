import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabCallError } from './lab-client.js';
import { createHttpClient, tokenFromLocation } from './http-transport.js';

class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  close() {
    this.onclose?.();
  }
}

describe('the web-mode transport', () => {
  afterEach(() => vi.useRealTimers());

  it('reads the token from the page URL', () => {
    expect(tokenFromLocation('?token=abc123')).toBe('abc123');
    expect(tokenFromLocation('')).toBeNull();
  });

  it('posts each command as JSON to /api/<area>/<verb> with the bearer token', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const fetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true, result: { destroyed: true } }));
    }) as unknown as typeof globalThis.fetch;
    const client = createHttpClient({ base: 'http://127.0.0.1:9', token: 't0k', fetch });
    await expect(client.call('cluster/destroy')).resolves.toEqual({ destroyed: true });
    expect(seen[0]!.url).toBe('http://127.0.0.1:9/api/cluster/destroy');
    expect((seen[0]!.init.headers as Record<string, string>)['authorization']).toBe('Bearer t0k');
    expect(seen[0]!.init.body).toBe('{}');
  });

  it('turns an { ok: false } answer into a LabCallError with the lab\'s code and message', async () => {
    const fetch = (async () => new Response(JSON.stringify({ ok: false, error: { code: 'conflict', message: 'no cluster' } }), { status: 409 })) as unknown as typeof globalThis.fetch;
    const client = createHttpClient({ base: 'http://x', token: 't', fetch });
    const error = await client.call('cluster/status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabCallError);
    expect(error).toMatchObject({ code: 'conflict', message: 'no cluster', command: 'cluster/status' });
  });

  it('reconnects the event socket after the last event it delivered, so none is lost or repeated', async () => {
    vi.useFakeTimers();
    FakeSocket.made = [];
    const got: number[] = [];
    const client = createHttpClient({ base: 'http://127.0.0.1:9', token: 't', WebSocket: FakeSocket as unknown as typeof WebSocket, reconnectMs: 1 });
    const stop = client.subscribe(0, (e) => got.push(e.seq));
    const first = FakeSocket.made[0]!;
    expect(first.url).toBe('ws://127.0.0.1:9/api/events?token=t&afterSeq=0');
    first.onmessage!({ data: JSON.stringify({ seq: 1, ts: 0, type: 'cluster', state: 'created', detail: '' }) });
    first.onmessage!({ data: JSON.stringify({ seq: 2, ts: 0, type: 'cluster', state: 'started', detail: '' }) });
    first.onclose!();
    expect(FakeSocket.made).toHaveLength(1);
    // The reconnect waits reconnectMs on the (fake) clock, not on the wall clock.
    vi.advanceTimersByTime(1);
    const second = FakeSocket.made[1]!;
    expect(second.url).toContain('afterSeq=2');
    second.onmessage!({ data: JSON.stringify({ seq: 2, ts: 0, type: 'cluster', state: 'started', detail: '' }) });
    second.onmessage!({ data: JSON.stringify({ seq: 3, ts: 0, type: 'cluster', state: 'stopped', detail: '' }) });
    stop();
    expect(got).toEqual([1, 2, 3]);
  });
});
