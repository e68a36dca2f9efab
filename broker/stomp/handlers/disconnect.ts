import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import type { Step } from './index.js';

/** DISCONNECT [STOMP-1.2 disconnect]: RECEIPT (when asked for) after every earlier frame, then close. */
export function onDisconnect(connection: StompConnection, frame: StompFrame): Step {
  return () => {
    connection.sendReceipt(frame);
    connection.close();
  };
}
