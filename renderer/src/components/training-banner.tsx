/** Training mode, on every screen, and nothing to dismiss it with. */
import { useTranslation } from 'react-i18next';

export function TrainingBanner() {
  const { t } = useTranslation();
  return (
    <header className="training-banner" data-testid="training-banner">
      <p>{t('training.banner')}</p>
    </header>
  );
}
