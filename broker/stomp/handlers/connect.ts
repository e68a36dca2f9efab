import type { StompConnection } from '../connection.js';
import { SUPPORTED_VERSIONS, type StompFrame, type StompVersion } from '../frame.js';
import { parseHeartBeat } from '../heartbeat.js';
import { FatalProtocolError } from '../protocol-error.js';
import type { Step } from './index.js';

const SERVER_NAME = 'failover-lab/0.1.0';

/**
 * CONNECT / STOMP [STOMP-1.2 connecting]. Version: the highest common one of `accept-version`,
 * none → 1.0 (ActiveMQ `StompCodec.detectVersion`). `login`/`passcode` are checked by the
 * authentication plugin, if any: a refusal is a fatal ERROR with ActiveMQ's message. CONNECTED carries `session` (the `client-id` or the
 * connection id), `heart-beat` (the client's values swapped, like ActiveMQ), `server`, and ActiveMQ's
 * legacy `response-id` / `receipt-id` when the CONNECT had `request-id` or `receipt`.
 */
export function onConnect(connection: StompConnection, frame: StompFrame): Step {
  if (connection.connected) throw new FatalProtocolError('Already connected.');
  const version = negotiateVersion(frame.headers.get('accept-version'));
  // ActiveMQ's `transport.defaultHeartBeat` stands in for a missing header (ProtocolConverter).
  const intervals = parseHeartBeat(frame.headers.get('heart-beat') ?? connection.settings.defaultHeartBeat);
  const session = frame.headers.get('client-id') ?? connection.connectionId;
  const auth = connection.core.security.authenticate(frame.headers.get('login'), frame.headers.get('passcode'));
  if (auth.kind === 'refused') {
    connection.log.log('warn', 'STOMP connection refused', { reason: auth.message });
    throw new FatalProtocolError(auth.message);
  }
  return () => {
    connection.connected = true;
    connection.security = auth.context;
    connection.clientId = session;
    const headers: Array<[string, string]> = [
      ['version', version],
      ['session', session],
      ['server', SERVER_NAME],
      ['heart-beat', `${intervals.writeMs},${intervals.readMs}`],
    ];
    const requestId = frame.headers.get('request-id') ?? frame.headers.get('receipt');
    if (requestId !== undefined) headers.push(['response-id', requestId], ['receipt-id', requestId]);
    connection.write({ command: 'CONNECTED', headers });
    // CONNECTED itself is never escaped; everything after it uses the negotiated version.
    connection.switchVersion(version);
    connection.startHeartBeat(intervals);
    connection.log.log('debug', 'STOMP connection established', { version, session });
  };
}

function negotiateVersion(acceptVersion: string | undefined): StompVersion {
  if (acceptVersion === undefined) return '1.0';
  const offered = new Set(acceptVersion.trim().split(',').map((v) => v.trim()));
  const version = SUPPORTED_VERSIONS.find((v) => offered.has(v));
  if (version === undefined) {
    throw new FatalProtocolError(
      `Invalid Protocol version[${acceptVersion}], supported versions are: [${SUPPORTED_VERSIONS.join(', ')}]`,
    );
  }
  return version;
}
