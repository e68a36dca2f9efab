import net from 'node:net';
import stompit from 'stompit';

/**
 * Sends `count` persistent messages with stompit (a STOMP client written by others), each waiting
 * for its RECEIPT before the next; resolves with the bodies that were receipted. Stops at the first
 * error (the broker died): what was receipted is what the broker promised to keep.
 */
export function sendReceipted(port: number, destination: string, count: number, prefix = 'm'): Promise<string[]> {
  return new Promise((resolve) => {
    const receipted: string[] = [];
    // stompit writes a frame's head and body separately: without TCP_NODELAY, Nagle and delayed ACKs
    // add ~40 ms to every receipted send.
    const connect = (options: net.NetConnectOpts, onConnect: () => void) => net.connect(options, onConnect).setNoDelay(true);
    stompit.connect({ host: '127.0.0.1', port, connect, connectHeaders: { host: '/', 'accept-version': '1.2', 'heart-beat': '0,0' } }, (error, client) => {
      if (error) return resolve(receipted);
      client.on('error', () => resolve(receipted));
      const next = (i: number) => {
        if (i >= count) {
          client.disconnect();
          return resolve(receipted);
        }
        const body = `${prefix}-${i}`;
        const frame = client.send(
          { destination, persistent: 'true', 'content-type': 'text/plain' },
          {
            onReceipt: () => {
              receipted.push(body);
              next(i + 1);
            },
          },
        );
        frame.end(body);
      };
      next(0);
    });
  });
}
