/**
 * Why a command's `--out` file cannot be written, for branch IT: the file, the reason and what
 * to do. One mapping for every command that writes a file (prepare, audit export).
 */
import path from 'node:path';
import { CliError } from './cli-error.js';

export interface OutputFileWording {
  /** What the file would hold, for a symlink's message: "the prepared photo", "the export". */
  what: string;
  /** A file name to suggest when --out names a folder (prepared.jpg); none: no suggestion. */
  exampleName?: string;
}

export function outputFileError(out: string, error: unknown, wording: OutputFileWording): CliError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const folder = path.dirname(path.resolve(out));
  switch (code) {
    case 'EEXIST':
      return new CliError(
        'output',
        `${out} already exists; ${wording.what} never overwrites a file. Choose another --out.`,
      );
    case 'ENOENT':
    case 'ENOTDIR':
      return new CliError(
        'output',
        `The folder ${folder} does not exist; create it or choose another --out.`,
      );
    case 'ELOOP':
      return new CliError(
        'output',
        `${out} is a symbolic link; ${wording.what} is not written through one. Remove the link or choose another --out.`,
      );
    case 'EISDIR':
      return new CliError(
        'output',
        wording.exampleName === undefined
          ? `${out} is a folder; give --out a file name.`
          : `${out} is a folder; give --out a file name, like ${out}/${wording.exampleName}.`,
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new CliError(
        'output',
        `${out} cannot be written here (permission denied or a read-only disk); choose another --out.`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new CliError(
        'output',
        `The disk holding ${folder} is full; free space or choose another --out.`,
      );
    default:
      return new CliError(
        'output',
        `${out} could not be written${code === undefined ? '' : ` (${code})`}; choose another --out.`,
      );
  }
}
