/** The camera cannot be used: what happened, what to do, and a way on or back. */
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button.js';
import { Screen } from '../components/screen.js';
import type { ScreenProps } from './screen-props.js';

export function CameraProblemScreen({ snapshot, send }: ScreenProps) {
  const { t } = useTranslation();
  const problem = snapshot.context.cameraProblem ?? 'other';
  return (
    <Screen
      name="camera-problem"
      title={t(`camera-problem.${problem}.title`)}
      actions={
        <>
          <Button testId="back-to-start" variant="secondary" onClick={() => send({ type: 'BACK' })}>
            {t('camera-problem.back')}
          </Button>
          <Button testId="try-again" onClick={() => send({ type: 'TRY_AGAIN' })}>
            {t('camera-problem.try-again')}
          </Button>
        </>
      }
    >
      <p className="lead">{t(`camera-problem.${problem}.body`)}</p>
      <p className="lead strong">{t('camera-problem.what-to-do')}</p>
    </Screen>
  );
}
