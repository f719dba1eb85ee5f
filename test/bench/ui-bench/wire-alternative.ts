/**
 * Part 5, the named alternative: a guidance frame sent as a JSON array (what the contract
 * forbids) against the binary message of preload/harness-wire.ts, in Node (V8, as in the
 * renderer). Encode: what the renderer would do before send. Decode: what the harness does with
 * the bytes it receives (text -> JSON.parse, binary -> decodeBinaryCommand).
 */
import sharp from 'sharp';
import { decodeBinaryCommand, encodeCommand } from '../../../preload/harness-wire.js';
import { framePixels } from '../../ui/kit/clips.js';
import { spread, type Spread } from './stats.js';

export interface WireSide {
  encode: Spread;
  decode: Spread;
  bytes: number;
}

export interface WireComparison {
  width: number;
  height: number;
  iterations: number;
  json: WireSide;
  binary: WireSide;
  /** The JSON side also needs its array turned back into the Uint8Array the contract takes. */
  jsonToUint8Array: Spread;
}

const FRAME = { width: 320, height: 240 };
const WARM_UP = 30;

/** A real guidance frame: the oneFace clip's scene at 320x240 RGBA (digits as a camera gives). */
async function guidanceFrame(): Promise<Uint8Array> {
  const scene = await framePixels('oneFace');
  const { data } = await sharp(scene.data, {
    raw: { width: scene.width, height: scene.height, channels: scene.channels },
  })
    .resize(FRAME.width, FRAME.height)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

function time(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

export async function compareWireFormats(iterations: number): Promise<WireComparison> {
  const data = await guidanceFrame();
  const command = (id: number) => ({
    id,
    channel: 'session:analyze-frame',
    input: {
      sessionId: '6f1c8a52-3b7e-4f0a-9d2c-1e5b7a9c3d41',
      role: 'selfie',
      frame: { ...FRAME, data },
    },
  });
  const jsonEncode = (id: number): string => {
    const c = command(id);
    return JSON.stringify({
      ...c,
      input: { ...c.input, frame: { ...FRAME, data: Array.from(data) } },
    });
  };
  const jsonWire = Buffer.from(jsonEncode(1), 'utf8');
  const binaryWire = encodeCommand(command(1)) as Uint8Array;
  const parsed = JSON.parse(jsonWire.toString('utf8')) as { input: { frame: { data: number[] } } };

  const samples = {
    jsonEncode: [],
    binaryEncode: [],
    jsonDecode: [],
    binaryDecode: [],
    toU8: [],
  } as Record<'jsonEncode' | 'binaryEncode' | 'jsonDecode' | 'binaryDecode' | 'toU8', number[]>;
  // Interleaved, so neither format always runs on a warmer heap.
  for (let i = -WARM_UP; i < iterations; i += 1) {
    const row = {
      jsonEncode: time(() => jsonEncode(i)),
      binaryEncode: time(() => encodeCommand(command(i))),
      jsonDecode: time(() => JSON.parse(jsonWire.toString('utf8'))),
      binaryDecode: time(() => decodeBinaryCommand(binaryWire)),
      toU8: time(() => Uint8Array.from(parsed.input.frame.data)),
    };
    if (i < 0) continue;
    for (const key of Object.keys(row) as (keyof typeof row)[]) samples[key].push(row[key]);
  }
  return {
    ...FRAME,
    iterations,
    json: {
      encode: spread(samples.jsonEncode),
      decode: spread(samples.jsonDecode),
      bytes: jsonWire.length,
    },
    binary: {
      encode: spread(samples.binaryEncode),
      decode: spread(samples.binaryDecode),
      bytes: binaryWire.byteLength,
    },
    jsonToUint8Array: spread(samples.toU8),
  };
}
