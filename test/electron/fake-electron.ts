/**
 * Stand-ins for the few Electron objects the shell's glue touches, for what cannot run here
 * (the Electron binary). Plain EventEmitters with the methods the glue calls; each records what
 * was done to it so a test asserts outcomes (refused, denied, reloaded).
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindow, WebContents } from 'electron';

/** An event Electron passes to listeners: remembers whether it was prevented. */
export class FakeEvent {
  prevented = false;
  preventDefault(): void {
    this.prevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  devToolsClosed = 0;
  zoomLevel: number | null = null;
  visualZoomLimits: [number, number] | null = null;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  closeDevTools(): void {
    this.devToolsClosed += 1;
  }
  setZoomLevel(level: number): void {
    this.zoomLevel = level;
  }
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.visualZoomLimits = [min, max];
    return Promise.resolve();
  }
  asElectron(): WebContents {
    return this as unknown as WebContents;
  }
}

export class FakeWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  destroyed = false;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  asElectron(): BrowserWindow {
    return this as unknown as BrowserWindow;
  }
}
