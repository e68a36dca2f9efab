import { ProtocolError } from '../util/errors.js';

/**
 * A protocol error after which ActiveMQ closes the connection (`ProtocolException(..., fatal=true)`):
 * codec errors, unknown commands, frames before CONNECT, bad versions or heart-beats. A plain
 * `ProtocolError` gets an ERROR frame and the connection stays open, as in ActiveMQ.
 */
export class FatalProtocolError extends ProtocolError {}
