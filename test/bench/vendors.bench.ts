/**
 * bench:vendors — liveness calls through the gateway against the local emulator at
 * concurrency 1, 4 and 16, and in the same run the same multipart request sent with bare
 * undici.request as the floor. Goal: the gateway's cost at most 1.2x the floor.
 *
 * The emulator runs in its own process (the built CLI), so the client's work is measured on
 * this process's event loop and the emulator's on the other core.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import FormData from 'form-data';
import sharp from 'sharp';
import { Agent, request } from 'undici';
import { VendorGateway } from '../../main/vendors/gateway.js';
import type { LivenessRequest } from '../../model/request.js';
import { startEmulatorProcess } from '../helpers/emulator-process.js';
import { machineLine, percentile, sortedCopy, writeBenchSection } from './bench-report.js';

const CONCURRENCY = [1, 4, 16];
const REQUESTS_PER_RUN = Number(process.env.BENCH_REQUESTS ?? 300);

interface Run {
  label: string;
  concurrency: number;
  rps: number;
  p50: number;
  p99: number;
}

/** A real photo (face-api's demo, scaled like a prepared selfie), never committed. */
async function selfieJpeg(): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const demo = join(
    dirname(require.resolve('@vladmandic/face-api/package.json')),
    'demo',
    'sample1.jpg',
  );
  return sharp(readFileSync(demo))
    .resize({ width: 1280, height: 1280, fit: 'inside' })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function measure(
  label: string,
  concurrency: number,
  total: number,
  once: () => Promise<void>,
): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const t0 = performance.now();
        await once();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = sortedCopy(latencies);
  return {
    label,
    concurrency,
    rps: total / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess();
  const selfie = await selfieJpeg();
  const credentials = {
    vendor: 'kairos',
    appId: emulator.env.KAIROS_APP_ID!,
    appKey: emulator.env.KAIROS_APP_KEY!,
  } as const;
  const gateway = new VendorGateway({
    baseUrls: { kairos: emulator.url },
    connectionsPerOrigin: 16,
  });
  const liveness: LivenessRequest = {
    kind: 'liveness',
    api: 'kairos-liveness-v0.2',
    selfie: { bytes: selfie, fileName: 'selfie.jpg', contentType: 'image/jpeg' },
    threshold: 0.6,
  };
  const floorAgent = new Agent({ connections: 16 });
  const floorUrl = `${emulator.url}/v0.2/liveness-verification`;
  const floorOnce = async (): Promise<void> => {
    const form = new FormData();
    form.append('selfie', selfie, { filename: 'selfie.jpg', contentType: 'image/jpeg' });
    form.append('threshold', '0.6');
    const body = form.getBuffer();
    const response = await request(floorUrl, {
      method: 'POST',
      dispatcher: floorAgent,
      headers: {
        ...form.getHeaders(),
        'content-length': String(body.length),
        app_id: credentials.appId,
        app_key: credentials.appKey,
        'app-id': credentials.appId,
        'app-key': credentials.appKey,
      },
      body,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`floor got ${response.statusCode}: ${text}`);
    JSON.parse(text);
  };
  const clientOnce = async (): Promise<void> => {
    await gateway.send(liveness, { credentials });
  };

  // Warm both paths (connections, JIT, the emulator's caches) before measuring.
  await measure('warm-up', 4, 40, clientOnce);
  await measure('warm-up', 4, 40, floorOnce);

  const rows: { floor: Run; client: Run }[] = [];
  for (const concurrency of CONCURRENCY) {
    // Alternate the order per level so neither side always runs on a warmer machine.
    const floor = await measure('bare undici.request', concurrency, REQUESTS_PER_RUN, floorOnce);
    const client = await measure('VendorGateway.send', concurrency, REQUESTS_PER_RUN, clientOnce);
    rows.push({ floor, client });
    console.log(
      `c=${concurrency}: gateway ${client.rps.toFixed(1)} req/s p50 ${client.p50.toFixed(1)} ms p99 ${client.p99.toFixed(1)} ms | floor ${floor.rps.toFixed(1)} req/s p50 ${floor.p50.toFixed(1)} ms p99 ${floor.p99.toFixed(1)} ms`,
    );
  }
  await gateway.close();
  await floorAgent.close();
  emulator.stop();

  const worstRatio = Math.max(...rows.map(({ floor, client }) => client.p50 / floor.p50));
  const table = rows
    .flatMap(({ floor, client }) => [
      `| ${client.concurrency} | gateway | ${client.rps.toFixed(1)} | ${client.p50.toFixed(1)} | ${client.p99.toFixed(1)} | ${(client.p50 / floor.p50).toFixed(2)}x |`,
      `| ${floor.concurrency} | bare undici.request (floor) | ${floor.rps.toFixed(1)} | ${floor.p50.toFixed(1)} | ${floor.p99.toFixed(1)} | 1.00x |`,
    ])
    .join('\n');
  const markdown = `## bench:vendors

${machineLine()}. Kairos v0.2 liveness with a ${Math.round(selfie.length / 1024)} KB selfie (face-api demo photo at 1280 px), ${REQUESTS_PER_RUN} requests per row, emulator in its own process on 127.0.0.1.

| concurrency | client | requests/s | p50 ms | p99 ms | p50 vs floor |
| --- | --- | --- | --- | --- | --- |
${table}

Worst p50 ratio gateway / floor: **${worstRatio.toFixed(2)}x** (goal at most 1.2x: ${worstRatio <= 1.2 ? 'met' : 'NOT met'}).`;
  writeBenchSection('vendors', markdown);
  console.log(markdown);
}

await main();
