/**
 * window.kiosk: the Electron preload's, or (in the browser harness, where there is no preload)
 * a WebSocket client implementing the same KioskApi. The rest of the renderer cannot tell them
 * apart.
 */
import type { KioskApi } from '../../preload/contract.js';

declare global {
  interface Window {
    kiosk?: KioskApi;
  }
}

export async function loadKioskApi(): Promise<KioskApi> {
  if (window.kiosk !== undefined) return window.kiosk;
  const { connectHarness } = await import('./harness/connect.js');
  return connectHarness();
}
