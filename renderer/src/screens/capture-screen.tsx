/**
 * Taking one picture: the live preview with its guide (a card for the ID, an oval for the
 * selfie), the guidance in large type, and after a while a manual button for staff-assisted
 * cases. The machine takes the picture by itself once the answers stay "ok".
 */
import { useTranslation } from 'react-i18next';
import type { BrowserCamera } from '../camera/browser-camera.js';
import { CameraView } from '../camera/camera-view.js';
import { Button } from '../components/button.js';
import { Screen } from '../components/screen.js';
import { StatusText } from '../components/status-text.js';
import { roleOf } from '../kiosk-machine.js';
import type { ScreenProps } from './screen-props.js';

export function CaptureScreen({ snapshot, send, camera }: ScreenProps & { camera: BrowserCamera }) {
  const { t } = useTranslation();
  const { session, roleIndex, shownGuidanceKey, guidance, rejectionKey } = snapshot.context;
  const role = roleOf(snapshot.context);
  const opening = snapshot.matches({ flow: { capture: 'opening' } });
  const capturing = snapshot.matches({ flow: { capture: { live: 'capturing' } } });
  const manual = snapshot.matches({
    flow: { capture: { live: { framing: { manual: 'shown' } } } },
  });
  const hint = t(`capture.${role}.hint`);
  // A key the catalogue lacks (a newer pipeline) falls back to the hint, never to the key.
  const message = opening
    ? t('capture.opening')
    : capturing
      ? t('capture.checking')
      : shownGuidanceKey === null
        ? hint
        : t(shownGuidanceKey, { defaultValue: hint });
  const rejection =
    rejectionKey === null
      ? null
      : rejectionKey.startsWith('guidance.')
        ? `${t('capture.rejected')} ${t(rejectionKey, { defaultValue: '' })}`
        : t(rejectionKey);
  const roles = session?.roles ?? [];
  return (
    <Screen
      name={role}
      layout="capture"
      title={t(`capture.${role}.title`)}
      actions={
        <>
          <Button testId="back-to-start" variant="quiet" onClick={() => send({ type: 'BACK' })}>
            {t('capture.back')}
          </Button>
          {manual ? (
            <Button
              testId="capture-manual"
              disabled={capturing}
              onClick={() => send({ type: 'CAPTURE' })}
            >
              {t('capture.manual')}
            </Button>
          ) : null}
        </>
      }
    >
      <CameraView
        camera={camera}
        mirrored={role === 'selfie'}
        guide={role === 'selfie' ? 'oval' : 'card'}
        good={!opening && guidance?.verdict === 'ok'}
      />
      <div className="capture-text">
        {roles.length > 1 ? (
          <p className="step">
            {t('capture.step', { current: roleIndex + 1, total: roles.length })}
          </p>
        ) : null}
        <StatusText className="guidance" testId="guidance">
          {message}
        </StatusText>
        <StatusText className="rejection">{rejection}</StatusText>
      </div>
    </Screen>
  );
}
