/**
 * The harness's wire format on its own: a command carrying a camera frame becomes one binary
 * message and comes back whole, raw RGBA or a JPEG capture alike; pixels never as JSON.
 */
import { describe, expect, it } from 'vitest';
import { decodeBinaryCommand, encodeCommand } from '../../preload/harness-wire.js';

function binary(encoded: string | Uint8Array): Uint8Array {
  expect(encoded).toBeInstanceOf(Uint8Array);
  return encoded as Uint8Array;
}

describe('the harness wire format', () => {
  it('sends a guidance frame as one binary message and decodes it to the same bytes', () => {
    const data = Uint8Array.from({ length: 4 * 4 * 4 }, (_, i) => i);
    const input = { sessionId: 's', role: 'selfie', frame: { width: 4, height: 4, data } };
    const bytes = binary(encodeCommand({ id: 7, channel: 'session:analyze-frame', input }));
    // Header length, a short JSON header, then the pixels themselves.
    expect(bytes.byteLength).toBeLessThan(data.byteLength + 200);
    const decoded = decodeBinaryCommand(bytes);
    expect(decoded).toEqual({ id: 7, channel: 'session:analyze-frame', input });
  });

  it('keeps a JPEG capture’s encoding in the header, so main knows to decode it', () => {
    const data = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9);
    const frame = { width: 1280, height: 720, encoding: 'jpeg', data };
    const input = { sessionId: 's', role: 'selfie', frame };
    const decoded = decodeBinaryCommand(
      binary(encodeCommand({ id: 8, channel: 'session:capture', input })),
    );
    expect(decoded.input).toEqual(input);
    // Its own buffer: main may transfer it to a worker without touching the socket's.
    const got = (decoded.input as { frame: { data: Uint8Array } }).frame.data;
    expect(got.byteOffset).toBe(0);
    expect(got.buffer.byteLength).toBe(data.byteLength);
  });

  it('sends a command without a frame as JSON text', () => {
    expect(encodeCommand({ id: 9, channel: 'session:end', input: { sessionId: 's' } })).toBe(
      '{"id":9,"channel":"session:end","input":{"sessionId":"s"}}',
    );
  });
});
