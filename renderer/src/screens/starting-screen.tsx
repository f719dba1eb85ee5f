/** While the settings are read (a moment; the machine gives up after 10 s). */
import { useTranslation } from 'react-i18next';
import { Screen } from '../components/screen.js';
import { StatusText } from '../components/status-text.js';

export function StartingScreen() {
  const { t } = useTranslation();
  return (
    <Screen name="starting" title={t('starting.title')}>
      <StatusText className="lead">{t('starting.body')}</StatusText>
    </Screen>
  );
}
