/** The answers a misbehaving vendor (or the proxy in front of it) gives instead of a result. */
import { STATUS_CODES } from 'node:http';
import type { ApiId } from '../../model/apis.js';
import type { RequestFaults } from './faults.js';
import { jsonReply, textReply, vendorErrorReply, type Reply } from './reply.js';

/** What nginx sends when the upstream is down: the kiosk must not try to parse it as JSON. */
const PROXY_ERROR_PAGE = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

/**
 * The fault answer for this request, or null to answer normally. Faults replace the vendor's
 * logic entirely (a broken server does not check credentials), in the order below.
 */
export function faultReply(api: ApiId, faults: RequestFaults, requestId: string): Reply | null {
  const settings = faults.settings;
  if (faults.usageLimitReached) return vendorErrorReply(api, 403, 'usage limit reached');
  if (settings.serverErrorStatus !== undefined) {
    const status = settings.serverErrorStatus;
    return vendorErrorReply(api, status, STATUS_CODES[status] ?? 'Server Error');
  }
  if (settings.proxyHtmlError === true) {
    return textReply(502, 'text/html; charset=utf-8', PROXY_ERROR_PAGE);
  }
  if (settings.malformedJson === true) {
    // A body cut short, as a truncated or corrupted answer looks.
    return textReply(200, 'application/json', `{"api_req_uid": "${requestId}", "response_data": {`);
  }
  if (settings.wrongShapeJson === true) {
    return jsonReply(200, { status: 'ok', data: { liveness: 'high', faces: 'one' } });
  }
  return null;
}
