import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { JobRow } from '../../src/catalog/catalog-schema.js';

/** A mail as the local SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** A real SMTP server on a free local port, keeping what it receives. */
export async function startSmtpReceiver(): Promise<{ port: number; mails: ReceivedMail[]; close: () => Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A request as the local HTTP receiver got it. */
export interface ReceivedPost {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A real HTTP server on a free local port; `respond` decides each answer (default 204). */
export async function startWebhookReceiver(respond: (post: ReceivedPost, res: ServerResponse) => void = (_p, res) => res.writeHead(204).end()) {
  const posts: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const post = { path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> };
      posts.push(post);
      respond(post, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, posts, close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A dead job as the worker hands it to onJobDead. */
export function deadJob(overrides: Partial<JobRow> = {}): JobRow {
  return {
    id: 42,
    mission: 'mms',
    rule: 'fgm-l1b',
    processor: 'fgm-l1b',
    processor_version: '3.1.0',
    tier: 'production',
    group_key: 'mms1',
    window_start: new Date('2015-10-16T00:00:00Z'),
    window_end: new Date('2015-10-17T00:00:00Z'),
    inputs_hash: 'abc',
    inputs: [
      { fileId: 1, name: 'mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf', sha256: 'a' },
      { fileId: 2, name: 'MMS1_DEFATT_2015289_2015290.V00', sha256: 'b' },
    ],
    state: 'dead',
    attempts: 3,
    exit_code: 2,
    host: 'worker-1',
    error: 'the processor exited with 2',
    log: Array.from({ length: 40 }, (_, i) => `log line ${i + 1}`).join('\n'),
    created_at: new Date('2015-10-17T01:00:00Z'),
    started_at: new Date('2015-10-17T01:00:01Z'),
    finished_at: new Date('2015-10-17T01:00:05Z'),
    priority: 5,
    campaign_id: null,
    deployment_id: 7,
    ...overrides,
  };
}
