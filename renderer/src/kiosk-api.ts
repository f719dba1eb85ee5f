/** window.kiosk, as the preload exposes it (typed by the contract). */
import type { KioskApi } from '../../preload/contract.js';

declare global {
  interface Window {
    kiosk?: KioskApi;
  }
}

export function kioskApi(): KioskApi | undefined {
  return window.kiosk;
}
