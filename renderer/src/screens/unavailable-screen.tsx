/** The kiosk cannot serve the customer now: ask staff, and a way back to the start. */
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button.js';
import { Screen } from '../components/screen.js';
import type { ScreenProps } from './screen-props.js';

export function UnavailableScreen({ send }: Pick<ScreenProps, 'send'>) {
  const { t } = useTranslation();
  return (
    <Screen
      name="unavailable"
      title={t('unavailable.title')}
      actions={
        <Button testId="back-to-start" onClick={() => send({ type: 'BACK' })}>
          {t('unavailable.back')}
        </Button>
      }
    >
      <p className="lead">{t('unavailable.body')}</p>
    </Screen>
  );
}
