/**
 * What is captured, why, who receives it and how long it is kept, then agree or decline. The
 * camera is not on yet: it opens only after Agree.
 */
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button.js';
import { Screen } from '../components/screen.js';
import { StatusText } from '../components/status-text.js';
import type { ScreenProps } from './screen-props.js';

export function ConsentScreen({ snapshot, send }: ScreenProps) {
  const { t } = useTranslation();
  const { config } = snapshot.context;
  const kind = config?.defaultSessionKind ?? 'liveness';
  const match = kind === 'liveness-and-match';
  const busy = !snapshot.matches({ flow: { consent: 'reading' } });
  return (
    <Screen
      name="consent"
      layout="document"
      title={t('consent.title')}
      actions={
        <>
          <Button
            testId="consent-decline"
            variant="secondary"
            disabled={busy}
            onClick={() => send({ type: 'DECLINE' })}
          >
            {t('consent.decline')}
          </Button>
          <Button testId="consent-agree" disabled={busy} onClick={() => send({ type: 'AGREE' })}>
            {t('consent.agree')}
          </Button>
        </>
      }
    >
      <div className="consent-grid">
        <section>
          <h2>{t('consent.what-heading')}</h2>
          <p>{t(match ? 'consent.what-match' : 'consent.what-liveness')}</p>
        </section>
        <section>
          <h2>{t('consent.why-heading')}</h2>
          <p>{t(match ? 'consent.why-match' : 'consent.why-liveness')}</p>
        </section>
        <section>
          <h2>{t('consent.who-heading')}</h2>
          <p>{t('consent.who', { vendor: config?.vendorNames[kind] ?? '' })}</p>
        </section>
        <section>
          <h2>{t('consent.keep-heading')}</h2>
          <p>{t('consent.keep', { days: config?.retentionDays ?? 0 })}</p>
          <p>{t('consent.queue', { days: config?.maxQueueDays ?? 0 })}</p>
        </section>
      </div>
      <p className="consent-question">{t('consent.question')}</p>
      <StatusText className="wait">{busy ? t('consent.wait') : null}</StatusText>
    </Screen>
  );
}
