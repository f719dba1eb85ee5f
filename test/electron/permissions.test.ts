/**
 * The one permission allow-list (checklist 5): the camera, video only, for our app://kiosk
 * page's main frame; the microphone, a foreign origin, a sub-frame and every other permission
 * refused, by the request, check and device handlers alike.
 */
import type {
  DevicePermissionHandlerHandlerDetails,
  PermissionCheckHandlerHandlerDetails,
  Session,
} from 'electron';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  applyPermissionPolicy,
  devicePermissionAllowed,
  permissionCheckAllowed,
  permissionRequestAllowed,
  type PermissionName,
  type PermissionRequestDetails,
} from '../../main/electron/permissions.js';

const PAGE = 'app://kiosk/index.html';

function mediaRequest(
  mediaTypes: ('video' | 'audio')[] | undefined,
  overrides: Partial<{ requestingUrl: string; isMainFrame: boolean; securityOrigin: string }> = {},
): PermissionRequestDetails {
  return {
    isMainFrame: true,
    requestingUrl: PAGE,
    securityOrigin: 'app://kiosk',
    ...(mediaTypes === undefined ? {} : { mediaTypes }),
    ...overrides,
  };
}

function check(
  overrides: Partial<PermissionCheckHandlerHandlerDetails> = {},
): PermissionCheckHandlerHandlerDetails {
  return {
    isMainFrame: true,
    mediaType: 'video',
    securityOrigin: 'app://kiosk',
    requestingUrl: PAGE,
    ...overrides,
  };
}

describe('permission requests', () => {
  it('grants the camera alone to our page', () => {
    expect(permissionRequestAllowed('media', mediaRequest(['video']), PAGE)).toBe(true);
  });

  it('refuses the microphone, alone or with the camera', () => {
    expect(permissionRequestAllowed('media', mediaRequest(['audio']), PAGE)).toBe(false);
    expect(permissionRequestAllowed('media', mediaRequest(['video', 'audio']), PAGE)).toBe(false);
    expect(permissionRequestAllowed('media', mediaRequest(['audio', 'video']), PAGE)).toBe(false);
  });

  it('refuses a media request that does not say what it wants', () => {
    expect(permissionRequestAllowed('media', mediaRequest(undefined), PAGE)).toBe(false);
    expect(permissionRequestAllowed('media', mediaRequest([]), PAGE)).toBe(false);
  });

  it('refuses the camera to a foreign origin, a look-alike, a sub-frame or a page that navigated away', () => {
    const foreign = {
      requestingUrl: 'https://evil.example/',
      securityOrigin: 'https://evil.example',
    };
    expect(
      permissionRequestAllowed('media', mediaRequest(['video'], foreign), foreign.requestingUrl),
    ).toBe(false);
    expect(
      permissionRequestAllowed(
        'media',
        mediaRequest(['video'], { requestingUrl: 'app://kiosk.evil/' }),
        PAGE,
      ),
    ).toBe(false);
    expect(
      permissionRequestAllowed(
        'media',
        mediaRequest(['video'], { securityOrigin: 'app://other' }),
        PAGE,
      ),
    ).toBe(false);
    expect(
      permissionRequestAllowed('media', mediaRequest(['video'], { isMainFrame: false }), PAGE),
    ).toBe(false);
    expect(
      permissionRequestAllowed('media', mediaRequest(['video']), 'https://evil.example/'),
    ).toBe(false);
  });

  it.each([
    'display-capture',
    'geolocation',
    'notifications',
    'clipboard-read',
    'fullscreen',
    'openExternal',
    'pointerLock',
    'midiSysex',
    'hid',
    'usb',
    'serial',
    'fileSystem',
    'window-management',
    'unknown',
  ] satisfies PermissionName[])('refuses %s even to our own page', (permission) => {
    expect(permissionRequestAllowed(permission, mediaRequest(['video']), PAGE)).toBe(false);
    expect(permissionCheckAllowed(permission, 'app://kiosk', check())).toBe(false);
  });
});

describe('permission checks', () => {
  it('answers yes for the camera on our page (so enumerateDevices shows its labels)', () => {
    expect(permissionCheckAllowed('media', 'app://kiosk', check())).toBe(true);
    expect(permissionCheckAllowed('media', 'app://kiosk/', check())).toBe(true);
  });

  it('answers no for the microphone, an unknown media type, another origin or a sub-frame', () => {
    expect(permissionCheckAllowed('media', 'app://kiosk', check({ mediaType: 'audio' }))).toBe(
      false,
    );
    expect(permissionCheckAllowed('media', 'app://kiosk', check({ mediaType: 'unknown' }))).toBe(
      false,
    );
    expect(permissionCheckAllowed('media', 'https://evil.example', check())).toBe(false);
    expect(
      permissionCheckAllowed(
        'media',
        'app://kiosk',
        check({ securityOrigin: 'https://evil.example' }),
      ),
    ).toBe(false);
    expect(permissionCheckAllowed('media', 'app://kiosk', check({ isMainFrame: false }))).toBe(
      false,
    );
  });
});

describe('device permissions', () => {
  it('grants no HID, serial or USB device to anyone', () => {
    for (const deviceType of ['hid', 'serial', 'usb'] as const) {
      const details = {
        deviceType,
        origin: 'app://kiosk',
        device: {},
      } as DevicePermissionHandlerHandlerDetails;
      expect(devicePermissionAllowed(details)).toBe(false);
    }
  });
});

describe('the allow-list', () => {
  it('has exactly one entry, the camera, with its reason', () => {
    expect(ALLOWED_PERMISSIONS).toHaveLength(1);
    expect(ALLOWED_PERMISSIONS[0]).toMatchObject({ permission: 'media', mediaTypes: ['video'] });
    expect(ALLOWED_PERMISSIONS[0].why).toMatch(/camera/);
  });

  it('is installed as the request, check, device and display-media handlers of a session, once', () => {
    const installed: Record<string, (...args: never[]) => unknown> = {};
    const fake = {
      setPermissionRequestHandler: (h: never) => (installed.request = h),
      setPermissionCheckHandler: (h: never) => (installed.check = h),
      setDevicePermissionHandler: (h: never) => (installed.device = h),
      setDisplayMediaRequestHandler: (h: never) => (installed.display = h),
    };
    const logged: string[] = [];
    applyPermissionPolicy(fake as unknown as Session, (event) => logged.push(event));
    expect(Object.keys(installed).sort()).toEqual(['check', 'device', 'display', 'request']);

    const answers: boolean[] = [];
    const contents = { getURL: () => PAGE };
    const request = installed.request as unknown as (
      c: unknown,
      p: string,
      cb: (ok: boolean) => void,
      d: PermissionRequestDetails,
    ) => void;
    request(contents, 'media', (ok) => answers.push(ok), mediaRequest(['video']));
    request(contents, 'media', (ok) => answers.push(ok), mediaRequest(['video', 'audio']));
    request(contents, 'geolocation', (ok) => answers.push(ok), mediaRequest(undefined));
    expect(answers).toEqual([true, false, false]);
    expect(logged).toEqual(['permission-refused', 'permission-refused']);

    const display = installed.display as unknown as (r: unknown, cb: (s: unknown) => void) => void;
    let streams: unknown = 'untouched';
    display({}, (s) => (streams = s));
    expect(streams).toBeNull();

    // Handed the same session again (every webContents shares it): installed once.
    let installs = 0;
    const counted = { ...fake, setPermissionRequestHandler: () => (installs += 1) };
    applyPermissionPolicy(counted as unknown as Session, () => undefined);
    applyPermissionPolicy(counted as unknown as Session, () => undefined);
    expect(installs).toBe(1);
  });
});
