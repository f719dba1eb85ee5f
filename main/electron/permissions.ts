/**
 * The one permission allow-list (checklist 5). Every permission request, permission check and
 * device permission of every session goes through here; what is not on the list is denied.
 *
 * The list has one entry: the camera, video only, for our own app://kiosk pages in the main
 * frame. The selfie and the ID photo need it; nothing in the kiosk records sound, so a `media`
 * request that also asks for the microphone is refused whole (Chromium asks for both in one
 * request; granting it would open the microphone too).
 */
import type {
  DevicePermissionHandlerHandlerDetails,
  FilesystemPermissionRequest,
  MediaAccessPermissionRequest,
  OpenExternalPermissionRequest,
  PermissionCheckHandlerHandlerDetails,
  PermissionRequest,
  Session,
  WebContents,
} from 'electron';
import { isAppOrigin, isAppUrl } from './app-origin.js';
import { whereFrom, type ShellLog } from './shell-log.js';

/** Electron's permission names (the request and check handlers take the same list). */
export type PermissionName = Parameters<
  Parameters<Session['setPermissionRequestHandler']>[0] & object
>[1];

export type PermissionRequestDetails =
  | PermissionRequest
  | FilesystemPermissionRequest
  | MediaAccessPermissionRequest
  | OpenExternalPermissionRequest;

/**
 * THE ALLOW-LIST. To add to it: a new entry here with the reason, the check in the two
 * functions below, and a test in test/electron/permissions.test.ts. Today: the camera.
 */
export const ALLOWED_PERMISSIONS = [
  {
    permission: 'media',
    mediaTypes: ['video'],
    origin: 'app://kiosk (main frame)',
    why: 'the camera, for the selfie and the photo of the ID document; never the microphone',
  },
] as const;

/** Whether `types` is exactly ['video']: the camera alone. */
function cameraOnly(types: readonly string[] | undefined): boolean {
  return types !== undefined && types.length === 1 && types[0] === 'video';
}

/** `setPermissionRequestHandler`: a page asks (getUserMedia, notifications, ...). */
export function permissionRequestAllowed(
  permission: PermissionName,
  details: PermissionRequestDetails,
  contentsUrl: string,
): boolean {
  if (permission !== 'media') return false;
  const media = details as MediaAccessPermissionRequest;
  return (
    details.isMainFrame &&
    isAppUrl(details.requestingUrl) &&
    isAppUrl(contentsUrl) &&
    (media.securityOrigin === undefined || isAppOrigin(media.securityOrigin)) &&
    cameraOnly(media.mediaTypes)
  );
}

/**
 * `setPermissionCheckHandler`: Chromium asks whether a permission is already granted (for
 * `media`, once per kind: the camera's labels in enumerateDevices, then getUserMedia).
 */
export function permissionCheckAllowed(
  permission: PermissionName,
  requestingOrigin: string,
  details: PermissionCheckHandlerHandlerDetails,
): boolean {
  if (permission !== 'media') return false;
  return (
    details.isMainFrame &&
    isAppOrigin(requestingOrigin) &&
    (details.securityOrigin === undefined || isAppOrigin(details.securityOrigin)) &&
    (details.requestingUrl === undefined || isAppUrl(details.requestingUrl)) &&
    details.mediaType === 'video'
  );
}

/** `setDevicePermissionHandler`: WebHID, Web Serial, WebUSB. The kiosk uses none of them. */
export function devicePermissionAllowed(_details: DevicePermissionHandlerHandlerDetails): boolean {
  return false;
}

/** Installs the three handlers on `session` (once per session), logging every refusal. */
export function applyPermissionPolicy(session: Session, log: ShellLog): void {
  if (policed.has(session)) return;
  policed.add(session);
  session.setPermissionRequestHandler(
    (contents: WebContents, permission, callback, details: PermissionRequestDetails) => {
      const allowed = permissionRequestAllowed(permission, details, contents.getURL());
      if (!allowed) {
        const media = (details as MediaAccessPermissionRequest).mediaTypes;
        log('permission-refused', {
          permission,
          ...(media === undefined ? {} : { mediaTypes: media.join(',') }),
          from: whereFrom(details.requestingUrl),
        });
      }
      callback(allowed);
    },
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionCheckAllowed(permission, requestingOrigin, details),
  );
  session.setDevicePermissionHandler((details) => {
    log('device-permission-refused', { deviceType: details.deviceType });
    return devicePermissionAllowed(details);
  });
  // Screen capture has its own handler; without one Electron refuses it, and we say so here.
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

const policed = new WeakSet<Session>();
