/** Subscribes a console part to the kiosk's events for as long as it is on screen. */
import { useEffect, useRef } from 'react';
import type { KioskEvent } from '../../../preload/contract.js';
import { useConsole } from './console-context.js';

export function useKioskEvents(listener: (event: KioskEvent) => void): void {
  const { api } = useConsole();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  }, [listener]);
  useEffect(() => {
    try {
      return api.onEvent((event) => latest.current(event));
    } catch {
      // No events: the lists still refresh on every action staff take.
      return undefined;
    }
  }, [api]);
}
