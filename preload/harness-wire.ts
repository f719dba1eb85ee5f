/**
 * The harness's WebSocket wire format, both ends: the contract's commands and events as JSON
 * text frames, and a command carrying camera pixels (a `frame` with `data`) as ONE binary frame:
 * a 4-byte little-endian header length, the JSON header with the frame's width, height (and
 * encoding, for a JPEG capture), then the frame's bytes (raw RGBA, or the JPEG). Pixels are never a JSON array. Pure (no Node, no DOM): the renderer's
 * client and the server import it.
 */

/** Client -> server: one command. `input.frame.data` travels as the binary tail. */
export interface WireCommand {
  id: number;
  channel: string;
  input?: unknown;
}

/** Server -> client: a command's result, or an event. */
export type WireReply = { id: number | null; result: unknown } | { event: unknown };

interface FrameLike {
  width: number;
  height: number;
  data: Uint8Array;
  /** 'jpeg' for a capture the browser encoded; absent for raw RGBA. */
  encoding?: string;
}

function frameOf(input: unknown): FrameLike | null {
  if (typeof input !== 'object' || input === null || !('frame' in input)) return null;
  const frame = (input as { frame: unknown }).frame;
  if (typeof frame !== 'object' || frame === null) return null;
  return (frame as { data?: unknown }).data instanceof Uint8Array ? (frame as FrameLike) : null;
}

/** A command as the bytes to send: a binary frame when it carries pixels, else JSON text. */
export function encodeCommand(command: WireCommand): string | Uint8Array {
  const frame = frameOf(command.input);
  if (frame === null) return JSON.stringify(command);
  const header = new TextEncoder().encode(
    JSON.stringify({
      ...command,
      // Everything about the frame but its bytes (size, encoding) rides in the header.
      input: { ...(command.input as object), frame: { ...frame, data: undefined } },
    }),
  );
  const out = new Uint8Array(4 + header.byteLength + frame.data.byteLength);
  new DataView(out.buffer).setUint32(0, header.byteLength, true);
  out.set(header, 4);
  out.set(frame.data, 4 + header.byteLength);
  return out;
}

/**
 * A binary frame back to a command, with `input.frame.data` as a Uint8Array over a buffer of
 * its own (copied out, so it can be transferred to the face worker). Throws on a bad frame.
 */
export function decodeBinaryCommand(bytes: Uint8Array): WireCommand {
  if (bytes.byteLength < 4) throw new Error('binary message shorter than its header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (headerLength > 4096 || 4 + headerLength > bytes.byteLength) {
    throw new Error('binary message header length out of range');
  }
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as {
    id?: unknown;
    channel?: unknown;
    input?: { frame?: object };
  };
  if (typeof header !== 'object' || header === null || typeof header.input?.frame !== 'object') {
    throw new Error('binary message without a frame header');
  }
  const data = bytes.slice(4 + headerLength);
  return {
    id: header.id as number,
    channel: header.channel as string,
    input: { ...header.input, frame: { ...header.input.frame, data } },
  };
}
