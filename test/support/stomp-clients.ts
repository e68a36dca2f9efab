import net from 'node:net';
import stompit from 'stompit';

export interface Received {
  body: string;
  headers: Record<string, string>;
}

export interface StompitConsumer {
  received: Received[];
  /** Resolves once `n` messages arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  disconnect(): Promise<void>;
}

/**
 * Subscribes with stompit (a STOMP client written by others) and acknowledges every message
 * (client-individual) as it arrives. `connectHeaders` carry `client-id`; `subscribeHeaders` carry
 * `activemq.subscriptionName`, `selector`, and so on. Resolves once the SUBSCRIBE was receipted.
 */
export function stompitConsume(
  port: number,
  connectHeaders: Record<string, string>,
  subscribeHeaders: Record<string, string>,
): Promise<StompitConsumer> {
  return new Promise((resolve, reject) => {
    const connect = (options: net.NetConnectOpts, onConnect: () => void) => net.connect(options, onConnect).setNoDelay(true);
    stompit.connect(
      { host: '127.0.0.1', port, connect, connectHeaders: { host: '/', 'accept-version': '1.2', 'heart-beat': '0,0', ...connectHeaders } },
      (error, client) => {
        if (error) return reject(error);
        const received: Received[] = [];
        let wake: () => void = () => {};
        client.on('error', () => wake());
        client.subscribe({ ack: 'client-individual', ...subscribeHeaders }, (err, message) => {
          if (err) return;
          message.readString('utf8', (readError, body) => {
            if (readError) return;
            received.push({ body: body ?? '', headers: { ...(message.headers as Record<string, string>) } });
            client.ack(message);
            wake();
          });
        });
        // A receipted no-op after the SUBSCRIBE: frames are handled in order, so the subscription exists.
        const sync = client.send({ destination: '/queue/stomp-clients.sync' }, { onReceipt: () => resolve(consumer) });
        sync.end();
        const consumer: StompitConsumer = {
          received,
          async waitFor(n, timeoutMs = 15_000) {
            const deadline = Date.now() + timeoutMs;
            while (received.length < n) {
              if (Date.now() > deadline) throw new Error(`received ${received.length} of ${n}`);
              await new Promise<void>((r) => {
                wake = r;
                setTimeout(r, 50);
              });
            }
            return received;
          },
          disconnect: () => new Promise((done) => client.disconnect(() => done())),
        };
      },
    );
  });
}
