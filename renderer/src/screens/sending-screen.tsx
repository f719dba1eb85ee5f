/** The pictures on their way: upload progress, and a Cancel that works. */
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button.js';
import { Screen } from '../components/screen.js';
import { StatusText } from '../components/status-text.js';
import type { ScreenProps } from './screen-props.js';

export function SendingScreen({ snapshot, send }: ScreenProps) {
  const { t } = useTranslation();
  const { progress } = snapshot.context;
  const cancelling = snapshot.matches({ flow: { sending: 'cancelling' } });
  // No progress yet (or nothing to upload): the bar shows that it is working, without a number.
  const fraction =
    progress === null || progress.total <= 0 ? null : Math.min(1, progress.sent / progress.total);
  return (
    <Screen
      name="sending"
      title={t('sending.title')}
      actions={
        <Button
          testId="cancel"
          variant="secondary"
          disabled={cancelling}
          onClick={() => send({ type: 'CANCEL' })}
        >
          {t('sending.cancel')}
        </Button>
      }
    >
      <p className="lead">{t('sending.body')}</p>
      <div className="progress">
        <label htmlFor="upload-progress">{t('sending.progress')}</label>
        <progress id="upload-progress" max={1} value={fraction ?? undefined} />
        <span className="progress-value">
          {fraction === null ? null : t('sending.percent', { progress: fraction })}
        </span>
      </div>
      <StatusText>{cancelling ? t('sending.cancelling') : null}</StatusText>
    </Screen>
  );
}
