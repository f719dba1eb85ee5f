/**
 * What stops the queue, as banners with the reason and what to do: a paused vendor (with
 * Resume), the kiosk offline, the queue's storage failing. Kept up to date by the queue's
 * events; `totals` come with it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { QueueStatus } from '../../../preload/contract.js';
import { VENDOR_DISPLAY_NAME } from '../../../model/apis.js';
import { attempt, useConsole } from './console-context.js';
import { useConsoleWords } from './format.js';
import { useKioskEvents } from './use-kiosk-events.js';
import { useThrottled } from './use-throttled.js';

/** Events arrive per job while a queue drains; the status is read at most once a second. */
const STATUS_EVERY_MS = 1000;

export function useQueueStatus(): { status: QueueStatus | null; reload(): void } {
  const context = useConsole();
  const [status, setStatus] = useState<QueueStatus | null>(null);
  const load = useCallback(() => {
    void attempt(context, (api) => api.getQueueStatus()).then((answer) => {
      if (answer.ok) setStatus(answer.value);
    });
  }, [context]);
  useEffect(load, [load]);
  const reload = useThrottled(load, STATUS_EVERY_MS);
  useKioskEvents(
    useCallback(
      (event) => {
        switch (event.type) {
          case 'queue-totals':
            setStatus((now) => (now === null ? now : { ...now, totals: event.totals }));
            break;
          case 'connectivity':
            setStatus((now) => (now === null ? now : { ...now, online: event.online }));
            break;
          case 'vendor-paused':
          case 'vendor-resumed':
          case 'storage-problem':
          case 'storage-recovered':
          case 'job-changed':
            reload();
            break;
          default:
            break;
        }
      },
      [reload],
    ),
  );
  return { status, reload: load };
}

export function QueueBanners({
  status,
  onResumed,
}: {
  status: QueueStatus;
  onResumed(status: QueueStatus): void;
}) {
  const context = useConsole();
  const { t, formats } = useConsoleWords();
  const [failure, setFailure] = useState<string | null>(null);
  const resume = async (vendor: QueueStatus['pausedVendors'][number]['vendor']) => {
    const answer = await attempt(context, (api) => api.resumeVendor(vendor));
    if (answer.ok) {
      setFailure(null);
      onResumed(answer.value);
    } else setFailure(answer.failure.message);
  };
  return (
    <div className="console-banners">
      {status.storageProblem === null ? null : (
        <div
          className="console-banner console-banner-bad"
          role="alert"
          data-testid="banner-storage"
        >
          <p>{t('banner.storage', { message: status.storageProblem })}</p>
        </div>
      )}
      {status.online ? null : (
        <div
          className="console-banner console-banner-warn"
          role="status"
          data-testid="banner-offline"
        >
          <p>{t('banner.offline')}</p>
        </div>
      )}
      {status.pausedVendors.map((pause) => {
        const vendor = VENDOR_DISPLAY_NAME[pause.vendor];
        return (
          <div
            key={pause.vendor}
            className="console-banner console-banner-warn"
            role="status"
            data-testid={`banner-paused-${pause.vendor}`}
          >
            <div>
              <p className="strong">
                {pause.until === null
                  ? t('banner.paused', { vendor })
                  : t('banner.paused-until', { vendor, time: formats.dateTime(pause.until) })}
              </p>
              <p>{t(`banner.paused-${pause.reason}`, { vendor })}</p>
            </div>
            <button
              type="button"
              className="cbutton cbutton-primary"
              data-testid={`resume-${pause.vendor}`}
              onClick={() => void resume(pause.vendor)}
            >
              {t('banner.resume', { vendor })}
            </button>
          </div>
        );
      })}
      {failure === null ? null : (
        <p className="console-error" role="alert">
          {t('console.error', { message: failure })}
        </p>
      )}
    </div>
  );
}
