/** A large symbol above a result, for those who read the picture before the words. */

export type MarkKind = 'check' | 'person' | 'cross' | 'clock';

const PATHS: Record<MarkKind, string> = {
  check: 'M20 50 L42 72 L80 30',
  cross: 'M32 32 L68 68 M68 32 L32 68',
  clock: 'M50 26 L50 50 L66 62',
  person: 'M50 28 a10 10 0 1 1 0 20 a10 10 0 1 1 0 -20 M30 76 q20 -30 40 0',
};

export function ResultMark({ kind }: { kind: MarkKind }) {
  return (
    <svg className={`result-mark result-mark-${kind}`} viewBox="0 0 100 100" aria-hidden="true">
      <circle cx="50" cy="50" r="46" />
      <path d={PATHS[kind]} />
    </svg>
  );
}
