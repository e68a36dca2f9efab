// Minimal typings for stompit 1.0 (it ships none): only what our tests and benchmarks use.
declare module 'stompit' {
  import type { Writable, Readable } from 'node:stream';
  import type { EventEmitter } from 'node:events';
  import type { NetConnectOpts, Socket } from 'node:net';

  export interface ConnectOptions {
    host: string;
    port: number;
    connectHeaders?: Record<string, string>;
    /** Replaces `net.connect` for the transport socket. */
    connect?: (options: NetConnectOpts, onConnect: () => void) => Socket;
  }
  export interface Message extends Readable {
    headers: Record<string, string>;
    readString(encoding: string, callback: (error: Error | null, body?: string) => void): void;
  }
  export interface Subscription {
    unsubscribe(): void;
  }
  export interface Client extends EventEmitter {
    send(headers: Record<string, string>, options?: { onReceipt?: () => void }): Writable;
    subscribe(headers: Record<string, string>, onMessage: (error: Error | null, message: Message) => void): Subscription;
    ack(message: Message, headers?: Record<string, string>): void;
    nack(message: Message, headers?: Record<string, string>): void;
    disconnect(callback?: (error?: Error | null) => void): void;
    destroy(error?: Error): void;
  }
  export function connect(options: ConnectOptions, callback: (error: Error | null, client: Client) => void): Client;
  export class ConnectFailover extends EventEmitter {
    constructor(servers: ConnectOptions[] | string, options?: Record<string, unknown>);
    connect(callback: (error: Error | null, client: Client, reconnect: () => void, server: unknown) => void): void;
  }
  export class Channel extends EventEmitter {
    constructor(connectFailover: ConnectFailover, options?: Record<string, unknown>);
    send(headers: Record<string, string>, body: string, callback?: (error: Error | null) => void): void;
    subscribe(headers: Record<string, string>, onMessage: (error: Error | null, message: Message, subscription: Subscription) => void): void;
    ack(message: Message): void;
    close(): void;
  }
  const stompit: {
    connect: typeof connect;
    ConnectFailover: typeof ConnectFailover;
    Channel: typeof Channel;
  };
  export default stompit;
}
