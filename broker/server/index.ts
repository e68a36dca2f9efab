/** The broker program's public surface for the lab: its control protocol, status lines and exit codes. */
export type {
  ControlCommand,
  ControlCommandName,
  ControlCommandOf,
  ControlNoticeName,
  ControlReply,
  ControlRequestName,
  ControlResults,
} from './control-protocol.js';
export type { BrokerRole, BrokerState, ConnectorStatus, StatusLine } from './status.js';
export { EXIT } from './status.js';
export { parseProperties } from './cli-properties.js';
