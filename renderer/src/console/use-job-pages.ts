/**
 * One of the console's lists (the queue or the results) as pages fetched on demand: the list
 * knows its length from the first page and asks for the pages the visible rows fall in, so
 * 10,000 jobs cost one page per screenful, never the whole list. A refresh keeps the rows on
 * view until their new page arrives (no flicker) and forgets the pages out of view.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobList, JobSummary } from '../../../preload/contract.js';
import { attempt, useConsole, type Failure } from './console-context.js';

/** Rows per request: a screenful or two on any kiosk screen, one small answer (~50 KB). */
export const PAGE_SIZE = 60;

export interface JobPages {
  /** Rows in the list; null before the first answer. */
  total: number | null;
  /** The job at a row, or undefined while its page loads. */
  rowAt(index: number): JobSummary | undefined;
  /** Rows [first, last] are on screen: fetch their pages if missing. */
  showRange(first: number, last: number): void;
  /** Fetch the rows on screen again (after an event or an action). */
  refresh(): void;
  failure: Failure | null;
}

export function useJobPages(list: JobList, ticket: string): JobPages {
  const context = useConsole();
  const pages = useRef(new Map<number, JobSummary[]>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const range = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const [total, setTotal] = useState<number | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [, setVersion] = useState(0);

  const load = useCallback(
    (page: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      const asked = generation.current;
      void attempt(context, (api) =>
        api.listPage({
          list,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          ...(ticket === '' ? {} : { ticket }),
        }),
      ).then((answer) => {
        if (asked !== generation.current) return;
        loading.current.delete(page);
        if (!answer.ok) {
          setFailure(answer.failure);
          return;
        }
        setFailure(null);
        pages.current.set(page, answer.value.jobs);
        setTotal(answer.value.total);
        setVersion((version) => version + 1);
      });
    },
    [context, list, ticket],
  );

  const pagesOnScreen = (): number[] => {
    const [first, last] = range.current;
    const from = Math.floor(first / PAGE_SIZE);
    const to = Math.floor(Math.max(first, last) / PAGE_SIZE);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  };

  const showRange = useCallback(
    (first: number, last: number) => {
      range.current = [first, last];
      for (const page of pagesOnScreen()) if (!pages.current.has(page)) load(page);
    },
    [load],
  );

  const refresh = useCallback(() => {
    generation.current += 1;
    loading.current.clear();
    const visible = new Set(pagesOnScreen());
    for (const page of [...pages.current.keys()]) {
      if (!visible.has(page)) pages.current.delete(page);
    }
    for (const page of visible) load(page);
  }, [load]);

  // A new list or a new search: start from its top.
  useEffect(() => {
    generation.current += 1;
    pages.current.clear();
    loading.current.clear();
    range.current = [0, PAGE_SIZE - 1];
    setTotal(null);
    load(0);
  }, [load]);

  const rowAt = useCallback((index: number) => {
    const page = pages.current.get(Math.floor(index / PAGE_SIZE));
    return page?.[index % PAGE_SIZE];
  }, []);

  return { total, rowAt, showRange, refresh, failure };
}
