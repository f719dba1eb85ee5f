/** The languages the settings offer, each named in itself, the current one pressed. */
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../model/kiosk-settings.js';
import { Button } from '../components/button.js';

interface LanguagePickerProps {
  languages: readonly Language[];
  current: Language;
  choose: (language: Language) => void;
}

export function LanguagePicker({ languages, current, choose }: LanguagePickerProps) {
  const { t } = useTranslation();
  if (languages.length < 2) return null;
  return (
    <div className="languages" role="group" aria-labelledby="languages-label">
      <p id="languages-label" className="languages-label">
        {t('language.choose')}
      </p>
      <div className="languages-buttons">
        {languages.map((language) => (
          <Button
            key={language}
            testId={`language-${language}`}
            variant={language === current ? 'primary' : 'secondary'}
            aria-pressed={language === current}
            lang={language}
            onClick={() => choose(language)}
          >
            {t(`language.${language}`)}
          </Button>
        ))}
      </div>
    </div>
  );
}
