/**
 * A pass-through HTTP proxy in front of s3rver that plays S3's `RestoreObject`, which no S3
 * emulator implements (s3rver answers 501): a `POST /bucket/key?restore` is recorded with its XML
 * body and answered 202 Accepted, as AWS does for a first request; every other request goes to
 * s3rver unchanged. Tests read `restores` to see what the client asked for (tier, days).
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RestoreRecorder {
  /** The proxy's endpoint: give it to the S3 client instead of s3rver's. */
  endpoint: string;
  /** Every RestoreObject received: the object path and the XML body. */
  restores: { path: string; body: string }[];
  stop(): Promise<void>;
}

export async function startRestoreRecorder(upstream: string): Promise<RestoreRecorder> {
  const restores: { path: string; body: string }[] = [];
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (req.method === 'POST' && url.searchParams.has('restore')) {
      void readBody(req).then((body) => {
        restores.push({ path: decodeURIComponent(url.pathname), body });
        res.writeHead(202).end();
      });
      return;
    }
    const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    restores,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
