/** The first screen: what this kiosk does, a big Start (or a tap anywhere), the languages. */
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button.js';
import { StaffCorner } from '../console/staff-entry.js';
import { Screen } from '../components/screen.js';
import { StatusText } from '../components/status-text.js';
import { LanguagePicker } from './language-picker.js';
import type { ScreenProps } from './screen-props.js';

export function AttractScreen({ snapshot, send }: ScreenProps) {
  const { t } = useTranslation();
  const { config, language, notice } = snapshot.context;
  const match = config?.defaultSessionKind === 'liveness-and-match';
  // A tap anywhere starts, except on a button or near the languages (a missed language
  // button must not start in the wrong language).
  const startAnywhere = (event: MouseEvent<HTMLElement>): void => {
    if (event.target instanceof Element && event.target.closest('button, .languages') === null) {
      send({ type: 'START' });
    }
  };
  return (
    <Screen name="attract" title={t('attract.title')} onClick={startAnywhere}>
      <StaffCorner send={send} />
      <StatusText className="notice">{notice === null ? null : t(`notice.${notice}`)}</StatusText>
      <p className="lead">{t(match ? 'attract.body-match' : 'attract.body-liveness')}</p>
      <Button testId="start" className="button-huge" onClick={() => send({ type: 'START' })}>
        {t('attract.start')}
      </Button>
      <p className="hint">{t('attract.hint')}</p>
      <LanguagePicker
        languages={config?.languages ?? []}
        current={language}
        choose={(chosen) => send({ type: 'SET_LANGUAGE', language: chosen })}
      />
    </Screen>
  );
}
