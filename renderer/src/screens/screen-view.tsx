/** The screen for the machine's state. */
import type { BrowserCamera } from '../camera/browser-camera.js';
import { StaffConsole } from '../console/staff-console.js';
import { screenOf } from '../screen-of.js';
import { AttractScreen } from './attract-screen.js';
import { CameraProblemScreen } from './camera-problem-screen.js';
import { CaptureScreen } from './capture-screen.js';
import { ConsentScreen } from './consent-screen.js';
import { ResultScreen } from './result-screen.js';
import { ReviewScreen } from './review-screen.js';
import type { ScreenProps } from './screen-props.js';
import { SendingScreen } from './sending-screen.js';
import { StartingScreen } from './starting-screen.js';
import { UnavailableScreen } from './unavailable-screen.js';

export function ScreenView({ snapshot, send, camera }: ScreenProps & { camera: BrowserCamera }) {
  const screen = screenOf(snapshot);
  const props = { snapshot, send };
  switch (screen) {
    case 'starting':
      return <StartingScreen />;
    case 'attract':
      return <AttractScreen {...props} />;
    case 'consent':
      return <ConsentScreen {...props} />;
    case 'id-photo':
    case 'selfie':
      return <CaptureScreen {...props} camera={camera} />;
    case 'review':
      return <ReviewScreen {...props} />;
    case 'sending':
      return <SendingScreen {...props} />;
    case 'result-verified':
    case 'result-staff':
    case 'result-not-verified':
    case 'result-queued':
      return <ResultScreen {...props} name={screen} />;
    case 'camera-problem':
      return <CameraProblemScreen {...props} />;
    case 'unavailable':
      return <UnavailableScreen send={send} />;
    case 'staff-console':
    case 'staff-pin':
      return <StaffConsole api={snapshot.context.api} close={() => send({ type: 'STAFF_DONE' })} />;
  }
}
