/**
 * The queue: what stops it (banners), its totals, a progress bar while it drains, a search by
 * ticket, and the waiting jobs with Retry now and Discard (after a confirmation).
 */
import { useCallback, useEffect, useState } from 'react';
import type { JobSummary } from '../../../preload/contract.js';
import { ConfirmDialog, type ConfirmRequest } from './confirm-dialog.js';
import { attempt, useConsole } from './console-context.js';
import { useConsoleWords } from './format.js';
import { QueueCells } from './job-cells.js';
import { JobTable } from './job-table.js';
import { QueueBanners, useQueueStatus } from './queue-status.js';
import { normalizeTicket, TicketSearch } from './ticket-search.js';
import { useJobPages } from './use-job-pages.js';
import { useKioskEvents } from './use-kiosk-events.js';
import { useThrottled } from './use-throttled.js';

/** The list follows the queue's events, refreshed at most this often (a drain is one per job). */
const LIST_EVERY_MS = 1000;
/** The states the totals show, in the order a job passes them. */
const TOTAL_STATES = ['queued', 'sending', 'retry-wait', 'done', 'failed', 'expired'] as const;
/** A finished drain's bar stays this long, so staff see it reach the end. */
const DRAIN_DONE_SHOWN_MS = 3000;

function useDrainProgress(): { finished: number; total: number } | null {
  const [progress, setProgress] = useState<{ finished: number; total: number } | null>(null);
  useKioskEvents(
    useCallback((event) => {
      if (event.type === 'drain-progress') {
        setProgress({ finished: event.finished, total: event.total });
      }
    }, []),
  );
  useEffect(() => {
    if (progress === null || progress.finished < progress.total) return;
    const timer = setTimeout(() => setProgress(null), DRAIN_DONE_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [progress]);
  return progress !== null && progress.total > 0 ? progress : null;
}

export function QueuePanel() {
  const context = useConsole();
  const { t, formats } = useConsoleWords();
  const [search, setSearch] = useState('');
  const ticket = normalizeTicket(search);
  const pages = useJobPages('queue', ticket);
  const { status, reload } = useQueueStatus();
  const [statusOverride, setStatusOverride] = useState<typeof status>(null);
  const shown = statusOverride ?? status;
  useEffect(() => setStatusOverride(null), [status]);
  const progress = useDrainProgress();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [notice, setNotice] = useState<{ text: string; bad: boolean } | null>(null);
  const [found, setFound] = useState<JobSummary | null | undefined>(undefined);

  const { refresh } = pages;
  const refreshList = useThrottled(refresh, LIST_EVERY_MS);
  useKioskEvents(
    useCallback(
      (event) => {
        if (event.type === 'job-changed' || event.type === 'queue-totals') refreshList();
      },
      [refreshList],
    ),
  );

  // A whole ticket that is not waiting: it may be finished; say where it is.
  useEffect(() => {
    setFound(undefined);
    if (ticket.length < 6 || pages.total !== 0) return;
    let current = true;
    void attempt(context, (api) => api.findJob({ ticket })).then((answer) => {
      if (current && answer.ok) setFound(answer.value);
    });
    return () => {
      current = false;
    };
  }, [ticket, pages.total, context]);

  const act = async (job: JobSummary, action: 'retry' | 'discard'): Promise<void> => {
    const answer = await attempt(context, (api) =>
      action === 'retry' ? api.retryJob(job.id) : api.discardJob(job.id),
    );
    if (answer.ok) {
      setNotice({
        text: t(action === 'retry' ? 'queue.retried' : 'queue.discarded', { ticket: job.ticket }),
        bad: false,
      });
    } else {
      setNotice({ text: t('console.error', { message: answer.failure.message }), bad: true });
    }
    refresh();
    reload();
  };

  const askDiscard = (job: JobSummary): void =>
    setConfirm({
      title: t('queue.discard-title', { ticket: job.ticket }),
      body: t('queue.discard-body'),
      confirm: t('queue.discard-confirm'),
      cancel: t('queue.keep'),
      danger: true,
      onConfirm: () => void act(job, 'discard'),
    });

  const columns = [
    t('col.ticket'),
    t('col.state'),
    t('col.when'),
    t('col.problem'),
    t('col.actions'),
  ];

  return (
    <div className="panel-stack">
      <div className="panel-head">
        <h2 className="panel-title">{t('queue.title')}</h2>
        {shown === null ? null : (
          <dl className="totals" data-testid="queue-totals" aria-label={t('queue.totals')}>
            {TOTAL_STATES.map((state) => (
              <div key={state} className={`total total-${state}`} data-testid={`total-${state}`}>
                <dt>{t(`state.${state}`)}</dt>
                <dd>{shown.totals[state] ?? 0}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      {shown === null ? null : <QueueBanners status={shown} onResumed={setStatusOverride} />}
      {progress === null ? null : (
        <div className="drain" data-testid="drain-progress">
          <label htmlFor="drain-bar">
            {t('queue.draining', { finished: progress.finished, total: progress.total })}
          </label>
          <progress id="drain-bar" max={progress.total} value={progress.finished} />
        </div>
      )}
      <div className="console-row console-row-spread">
        <TicketSearch value={search} onChange={setSearch} />
        <p className="console-count" role="status" data-testid="queue-count">
          {pages.total === null ? t('console.loading') : t('queue.count', { count: pages.total })}
        </p>
      </div>
      {notice === null ? null : (
        <p
          className={notice.bad ? 'console-error' : 'console-ok'}
          role={notice.bad ? 'alert' : 'status'}
          data-testid="queue-notice"
        >
          {notice.text}
        </p>
      )}
      {pages.failure === null ? null : (
        <p className="console-error" role="alert">
          {t('console.error', { message: pages.failure.message })}
        </p>
      )}
      {pages.total === 0 ? (
        <p className="console-empty" data-testid="queue-empty">
          {ticket === ''
            ? t('queue.empty')
            : found === null
              ? t('queue.found-none', { ticket })
              : found !== undefined
                ? t('queue.found-finished', {
                    ticket: found.ticket,
                    state: t(`state.${found.state}`),
                  })
                : t('queue.empty-search', { ticket })}
        </p>
      ) : null}
      <JobTable
        list="queue"
        pages={pages}
        label={t('queue.list')}
        columns={columns}
        cells={(job) => (
          <>
            <QueueCells job={job} t={t} formats={formats} />
            <div role="cell" className="cell-actions">
              <button
                type="button"
                className="cbutton cbutton-small cbutton-primary"
                data-testid="job-retry"
                disabled={job.state === 'sending'}
                onClick={() => void act(job, 'retry')}
              >
                {t('queue.retry')}
              </button>
              <button
                type="button"
                className="cbutton cbutton-small cbutton-danger-quiet"
                data-testid="job-discard"
                onClick={() => askDiscard(job)}
              >
                {t('queue.discard')}
              </button>
            </div>
          </>
        )}
      />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </div>
  );
}
