/** The results: finished verifications, newest first, with when each is purged. */
import { useCallback, useState } from 'react';
import { useConsoleWords } from './format.js';
import { ResultCells } from './job-cells.js';
import { JobTable } from './job-table.js';
import { normalizeTicket, TicketSearch } from './ticket-search.js';
import { useJobPages } from './use-job-pages.js';
import { useKioskEvents } from './use-kiosk-events.js';
import { useThrottled } from './use-throttled.js';

const LIST_EVERY_MS = 1000;

export function ResultsPanel() {
  const { t, formats } = useConsoleWords();
  const [search, setSearch] = useState('');
  const ticket = normalizeTicket(search);
  const pages = useJobPages('results', ticket);
  const refreshList = useThrottled(pages.refresh, LIST_EVERY_MS);
  useKioskEvents(
    useCallback(
      (event) => {
        if (event.type === 'job-changed') refreshList();
      },
      [refreshList],
    ),
  );
  const columns = [
    t('col.ticket'),
    t('col.verdict'),
    t('col.scores'),
    t('col.request'),
    t('col.purge'),
  ];
  return (
    <div className="panel-stack">
      <h2 className="panel-title">{t('results.title')}</h2>
      <div className="console-row console-row-spread">
        <TicketSearch value={search} onChange={setSearch} />
        <p className="console-count" role="status" data-testid="results-count">
          {pages.total === null ? t('console.loading') : t('queue.count', { count: pages.total })}
        </p>
      </div>
      {pages.failure === null ? null : (
        <p className="console-error" role="alert">
          {t('console.error', { message: pages.failure.message })}
        </p>
      )}
      {pages.total === 0 ? (
        <p className="console-empty" data-testid="results-empty">
          {ticket === '' ? t('results.empty') : t('results.empty-search', { ticket })}
        </p>
      ) : null}
      <JobTable
        list="results"
        pages={pages}
        label={t('results.list')}
        columns={columns}
        cells={(job) => <ResultCells job={job} t={t} formats={formats} />}
      />
    </div>
  );
}
