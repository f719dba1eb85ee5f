/**
 * A callback that runs at most once per `ms`, the last call never lost (trailing): the queue's
 * events come in bursts (a drain sends one per job), the list needs one refresh per burst.
 */
import { useEffect, useMemo, useRef } from 'react';

export function useThrottled(callback: () => void, ms: number): () => void {
  const latest = useRef(callback);
  useEffect(() => {
    latest.current = callback;
  }, [callback]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return useMemo(
    () => () => {
      if (timer.current !== null) return;
      const wait = Math.max(0, last.current + ms - Date.now());
      timer.current = setTimeout(() => {
        timer.current = null;
        last.current = Date.now();
        latest.current();
      }, wait);
    },
    [ms],
  );
}
