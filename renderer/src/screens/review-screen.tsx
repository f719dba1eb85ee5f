/** The picture just taken, from the renderer's own canvas: retake it or go on. */
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button.js';
import { Screen } from '../components/screen.js';
import { roleOf } from '../kiosk-machine.js';
import type { ScreenProps } from './screen-props.js';

export function ReviewScreen({ snapshot, send }: ScreenProps) {
  const { t } = useTranslation();
  const { picture } = snapshot.context;
  const role = roleOf(snapshot.context);
  return (
    <Screen
      name="review"
      layout="capture"
      title={t('review.title')}
      actions={
        <>
          <Button testId="retake" variant="secondary" onClick={() => send({ type: 'RETAKE' })}>
            {t('review.retake')}
          </Button>
          <Button testId="continue" onClick={() => send({ type: 'CONTINUE' })}>
            {t('review.continue')}
          </Button>
        </>
      }
    >
      {picture === null ? null : (
        <img className="review-picture" src={picture} alt={t(`review.alt-${role}`)} />
      )}
    </Screen>
  );
}
