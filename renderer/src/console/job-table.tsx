/**
 * The queue or the results as a virtual table over pages (use-job-pages.ts): the rows on
 * view are drawn, their pages fetched as staff scroll.
 */
import { useCallback, type ReactNode } from 'react';
import type { JobList, JobSummary } from '../../../preload/contract.js';
import { useConsoleWords } from './format.js';
import type { JobPages } from './use-job-pages.js';
import { VirtualList } from './virtual-list.js';

/** Two lines of text and the row's padding; the same for every row, so rows never jump. */
export const ROW_HEIGHT = 64;

interface JobTableProps {
  list: JobList;
  pages: JobPages;
  label: string;
  columns: string[];
  cells(job: JobSummary): ReactNode;
}

export function JobTable({ list, pages, label, columns, cells }: JobTableProps) {
  const { t } = useConsoleWords();
  const row = (index: number) => {
    const job = pages.rowAt(index);
    if (job === undefined) {
      return {
        cells: (
          <>
            <div role="cell" className="cell-loading">
              {t('job.loading')}
            </div>
            {columns.slice(1).map((column) => (
              <div role="cell" key={column} />
            ))}
          </>
        ),
      };
    }
    return {
      cells: cells(job),
      attributes: {
        'data-testid': `${list}-row`,
        'data-ticket': job.ticket,
        'data-state': job.state,
      },
    };
  };
  const { showRange } = pages;
  const onRange = useCallback((first: number, last: number) => showRange(first, last), [showRange]);
  return (
    <VirtualList
      label={label}
      rowCount={pages.total ?? 0}
      rowHeight={ROW_HEIGHT}
      testId={`${list}-list`}
      className={`vlist-${list}`}
      header={columns.map((column) => (
        <div role="columnheader" key={column}>
          {column}
        </div>
      ))}
      row={row}
      itemAt={pages.rowAt}
      rowKey={(index) => pages.rowAt(index)?.id ?? `loading-${index}`}
      onRange={onRange}
    />
  );
}
