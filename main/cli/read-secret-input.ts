/**
 * Reads secret values from standard input, never from the command line (which other users
 * and shell history can see). On a terminal it prompts and does not echo what is typed.
 */
import { createInterface } from 'node:readline';

/** Reads `labels.length` lines: prompted and hidden on a terminal, plain lines otherwise. */
export async function readSecretLines(
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WritableStream,
  labels: readonly string[],
): Promise<string[]> {
  if (stdin.isTTY) {
    const values: string[] = [];
    for (const label of labels) values.push(await readHidden(stdin, stderr, `${label}: `));
    return values;
  }
  const lines: string[] = [];
  const reader = createInterface({ input: stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of reader) {
    lines.push(line.trim());
    if (lines.length === labels.length) break;
  }
  reader.close();
  return lines;
}

function readHidden(
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value.trim());
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('Cancelled.'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}
