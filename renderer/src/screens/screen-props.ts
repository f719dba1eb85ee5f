/** What every screen gets: the machine's state to render, and `send` for the customer's taps. */
import type { KioskMachineEvent, KioskSnapshot } from '../kiosk-machine.js';

export interface ScreenProps {
  snapshot: KioskSnapshot;
  send: (event: KioskMachineEvent) => void;
}
