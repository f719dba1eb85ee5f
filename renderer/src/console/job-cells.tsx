/** The cells of one job in the queue and the results lists, in staff's words. */
import type { JobSummary } from '../../../preload/contract.js';
import type { ConsoleT as TFunction, Formats } from './format.js';

export function TicketCell({ job, t }: { job: JobSummary; t: TFunction }) {
  return (
    <div role="cell" className="cell-ticket">
      <span className="job-ticket">{job.ticket}</span>
      {job.training ? (
        <span className="tag tag-training" data-testid="job-training">
          {t('job.training')}
        </span>
      ) : null}
    </div>
  );
}

/** The last failure in words; the main process's own message when the code is not known. */
export function problemOf(job: JobSummary, t: TFunction): string {
  if (job.lastError === null) return t('job.no-problem');
  const key = `job-error.${job.lastError.code}`;
  return t(key, { defaultValue: job.lastError.message });
}

export function QueueCells({
  job,
  t,
  formats,
}: {
  job: JobSummary;
  t: TFunction;
  formats: Formats;
}) {
  const now = Date.now();
  // A queued job is due as soon as the delivery loop gets to it; sending is happening now.
  const next =
    job.state === 'sending'
      ? t('state.sending')
      : job.nextAttemptAt === null
        ? job.state === 'queued'
          ? t('job.next-now')
          : t('job.next-none')
        : job.nextAttemptAt <= now
          ? t('job.next-now')
          : t('job.next', { time: formats.relative(job.nextAttemptAt, now) });
  return (
    <>
      <TicketCell job={job} t={t} />
      <div role="cell">
        <span className={`state state-${job.state}`}>{t(`state.${job.state}`)}</span>
        <span className="cell-sub">
          {t('job.attempts', { count: job.attempts })}
          {job.resends > 0 ? ` · ${t('job.resends', { count: job.resends })}` : ''}
        </span>
      </div>
      <div role="cell">
        <span>{next}</span>
        <span className="cell-sub">{t('job.created', { time: formats.short(job.createdAt) })}</span>
      </div>
      <div role="cell" className="cell-problem" title={job.lastError?.message}>
        {problemOf(job, t)}
      </div>
    </>
  );
}

/**
 * The selfie's measures the kiosk took (head pose, eyes, light), in one line: why a customer was
 * asked to retake, or why a vendor may have refused. The whole report is in the line's title.
 */
function QualityLine({ job, t, formats }: { job: JobSummary; t: TFunction; formats: Formats }) {
  const selfie = job.quality?.selfie;
  if (selfie === undefined) return null;
  const degrees = (value: number | null | undefined): string =>
    value === null || value === undefined ? '–' : `${Math.round(value)}°`;
  const all = Object.entries(job.quality ?? {})
    .map(
      ([role, measures]) =>
        `${role}: ${Object.entries(measures)
          .map(([name, value]) => `${name} ${value === null ? '–' : formats.number(value)}`)
          .join(', ')}`,
    )
    .join('\n');
  return (
    <span className="cell-sub cell-clip" title={all} data-testid="job-quality">
      {t('job.quality', {
        yaw: degrees(selfie.yaw),
        pitch: degrees(selfie.pitch),
        roll: degrees(selfie.roll),
        eyes:
          selfie.eyesOpen === null || selfie.eyesOpen === undefined
            ? '–'
            : formats.number(selfie.eyesOpen),
        light:
          selfie.illuminationUniformity === null || selfie.illuminationUniformity === undefined
            ? '–'
            : formats.number(selfie.illuminationUniformity),
      })}
    </span>
  );
}

export function ResultCells({
  job,
  t,
  formats,
}: {
  job: JobSummary;
  t: TFunction;
  formats: Formats;
}) {
  const result = job.result;
  const verdict = job.verdict;
  return (
    <>
      <TicketCell job={job} t={t} />
      <div role="cell">
        {verdict !== null ? (
          <span className={`verdict verdict-${verdict}`} data-testid="job-verdict">
            {t(`verdict.${verdict}`)}
          </span>
        ) : (
          <span className={`state state-${job.state}`}>{t(`state.${job.state}`)}</span>
        )}
        {verdict === null ? <span className="cell-sub cell-clip">{problemOf(job, t)}</span> : null}
      </div>
      <div role="cell">
        {result === null ? (
          <span>{t('job.no-result')}</span>
        ) : (
          <>
            <span className="cell-clip">
              {result.liveness.threshold === null
                ? t('job.liveness-vendor', { score: formats.number(result.liveness.score) })
                : t('job.liveness', {
                    score: formats.number(result.liveness.score),
                    threshold: formats.number(result.liveness.threshold),
                  })}
            </span>
            {result.match === null ? null : (
              <span className="cell-sub">{t(`match.${result.match.decision}`)}</span>
            )}
          </>
        )}
        <QualityLine job={job} t={t} formats={formats} />
      </div>
      <div role="cell">
        <span className="cell-clip mono">{result?.requestId ?? t('job.request-none')}</span>
        <span className="cell-sub">
          {t('job.finished', { time: formats.short(job.finishedAt ?? job.updatedAt) })}
        </span>
      </div>
      <div role="cell">
        {job.purgeAt === null ? null : (
          <span data-testid="job-purge">{t('job.purge', { date: formats.date(job.purgeAt) })}</span>
        )}
      </div>
    </>
  );
}
