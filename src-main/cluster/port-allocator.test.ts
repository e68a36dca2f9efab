import net from 'node:net';
import { describe, it, expect } from 'vitest';
import { PortAllocator } from './port-allocator.js';

describe('PortAllocator', () => {
  it('never hands out the same port twice even when the OS offers it again', async () => {
    const offers = [5001, 5001, 5002, 5001, 5003];
    const allocator = new PortAllocator('127.0.0.1', async () => offers.shift() ?? 0);
    expect(await allocator.allocate(2)).toEqual([5001, 5002]);
    expect(await allocator.allocate(1)).toEqual([5003]);
  });

  it('gives a released port out again', async () => {
    const offers = [6001, 6001];
    const allocator = new PortAllocator('127.0.0.1', async () => offers.shift() ?? 0);
    expect(await allocator.allocate(1)).toEqual([6001]);
    allocator.release([6001]);
    expect(await allocator.allocate(1)).toEqual([6001]);
  });

  it('gives up instead of looping when no new port comes', async () => {
    const allocator = new PortAllocator('127.0.0.1', async () => 7001);
    await allocator.allocate(1);
    await expect(allocator.allocate(1)).rejects.toThrow(/free ports/);
  });

  it('returns real ports that can be bound on 127.0.0.1', async () => {
    const [port] = await new PortAllocator().allocate(1);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
