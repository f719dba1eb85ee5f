/** The app's connectivity: offline when the OS says so, else what the vendor hosts say. */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OsAwareConnectivity } from '../../main/connectivity/os-aware-connectivity.js';
import { ReachabilityConnectivity } from '../../main/connectivity/reachability-connectivity.js';

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('OS-aware connectivity', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('is offline while the OS has no network, without probing the vendor hosts', async () => {
    let connects = 0;
    const server = createServer((socket) => {
      connects += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const { port } = server.address() as { port: number };
    let osOnline = false;
    const connectivity = new OsAwareConnectivity(
      () => osOnline,
      new ReachabilityConnectivity({ baseUrls: [`http://127.0.0.1:${port}`] }),
    );
    const changes: boolean[] = [];
    connectivity.onChange((online) => changes.push(online));

    expect(await connectivity.isOnline()).toBe(false);
    expect(connects).toBe(0);
    osOnline = true;
    expect(await connectivity.isOnline()).toBe(true);
    expect(connects).toBe(1);
    expect(changes).toEqual([false, true]);
  });

  it('is offline when the OS has a network but no vendor host answers', async () => {
    const down = await listen();
    const { port } = down.address() as { port: number };
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const connectivity = new OsAwareConnectivity(
      () => true,
      new ReachabilityConnectivity({ baseUrls: [`http://127.0.0.1:${port}`], timeoutMs: 1_000 }),
    );
    expect(await connectivity.isOnline()).toBe(false);
  });
});
