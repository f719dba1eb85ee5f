/**
 * The outcome in words a customer understands, never a score: verified, staff will help,
 * not verified (with Try again when new pictures can help), or a ticket to keep.
 */
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button.js';
import { Screen } from '../components/screen.js';
import type { ScreenName } from '../screen-of.js';
import { ResultMark, type MarkKind } from './result-mark.js';
import type { ScreenProps } from './screen-props.js';

type ResultName = Extract<ScreenName, `result-${string}`>;

const WORDS: Record<ResultName, { key: string; mark: MarkKind }> = {
  'result-verified': { key: 'result.verified', mark: 'check' },
  'result-staff': { key: 'result.staff', mark: 'person' },
  'result-not-verified': { key: 'result.not-verified', mark: 'cross' },
  'result-queued': { key: 'result.queued', mark: 'clock' },
};

export function ResultScreen({ snapshot, send, name }: ScreenProps & { name: ResultName }) {
  const { t } = useTranslation();
  const { outcome } = snapshot.context;
  const { key, mark } = WORDS[name];
  const retake = outcome?.status === 'not-sent' && outcome.retake;
  const training = outcome !== null && 'training' in outcome && outcome.training;
  return (
    <Screen
      name={name}
      title={t(`${key}.title`)}
      actions={
        <>
          {retake ? (
            <Button
              testId="try-again"
              variant="secondary"
              onClick={() => send({ type: 'TRY_AGAIN' })}
            >
              {t('result.not-verified.try-again')}
            </Button>
          ) : null}
          <Button testId="done" onClick={() => send({ type: 'DONE' })}>
            {t('result.done')}
          </Button>
        </>
      }
    >
      <ResultMark kind={mark} />
      {outcome?.status === 'queued' ? (
        <div className="ticket-box">
          <p className="ticket-label">{t('result.queued.ticket-label')}</p>
          <p className="ticket" data-testid="ticket">
            {outcome.ticket}
          </p>
        </div>
      ) : null}
      <p className="lead">{t(retake ? 'result.not-verified.body-retake' : `${key}.body`)}</p>
      {training ? <p className="training-note">{t('result.training')}</p> : null}
    </Screen>
  );
}
