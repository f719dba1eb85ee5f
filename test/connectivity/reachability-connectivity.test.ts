import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ReachabilityConnectivity } from '../../main/connectivity/reachability-connectivity.js';

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('reachability connectivity', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('is online while a vendor host accepts connections, and says so when that changes', async () => {
    let server = await listen();
    const { port } = server.address() as { port: number };
    const connectivity = new ReachabilityConnectivity({
      baseUrls: [`http://127.0.0.1:${port}/`],
      timeoutMs: 1_000,
    });
    const changes: boolean[] = [];
    connectivity.onChange((online) => changes.push(online));
    cleanups.push(() => connectivity.stop());

    expect(await connectivity.isOnline()).toBe(true);
    await close(server);
    expect(await connectivity.isOnline()).toBe(false);

    // Polling while offline notices the host come back without anyone asking.
    connectivity.start();
    server = await listen(port);
    cleanups.push(() => close(server));
    await expect.poll(() => changes.at(-1), { timeout: 5_000 }).toBe(true);
    expect(changes).toEqual([true, false, true]);
  });

  it('is online when any one of the vendor hosts can be reached', async () => {
    const server = await listen();
    cleanups.push(() => close(server));
    const up = (server.address() as { port: number }).port;
    const down = await listen();
    const downPort = (down.address() as { port: number }).port;
    await close(down);
    const connectivity = new ReachabilityConnectivity({
      baseUrls: [`http://127.0.0.1:${downPort}`, `http://127.0.0.1:${up}`],
    });
    expect(await connectivity.isOnline()).toBe(true);
  });

  it('sees a return within seconds when a send found the link down between online polls', async () => {
    let server = await listen();
    const { port } = server.address() as { port: number };
    // Online, the probe polls only every minute; the loop's own check after a failed send is
    // what notices the loss, and from then on polling must run at the offline cadence.
    const connectivity = new ReachabilityConnectivity({
      baseUrls: [`http://127.0.0.1:${port}/`],
      timeoutMs: 1_000,
      onlineIntervalMs: 60_000,
    });
    const changes: boolean[] = [];
    connectivity.onChange((online) => changes.push(online));
    connectivity.start();
    cleanups.push(() => connectivity.stop());
    await expect.poll(() => changes.at(-1), { timeout: 5_000 }).toBe(true);

    await close(server);
    expect(await connectivity.isOnline()).toBe(false);
    server = await listen(port);
    cleanups.push(() => close(server));
    await expect.poll(() => changes.at(-1), { timeout: 5_000 }).toBe(true);
    expect(changes).toEqual([true, false, true]);
  });
});
