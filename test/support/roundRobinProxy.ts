/**
 * A small reverse proxy for tests of several instances (node:http): each request goes to the next backend in turn,
 * as a load balancer's round robin; a backend refusing the connection (stopped) is skipped, as load balancers do
 * when nothing was sent. `X-Test-Backend: <n>` pins a request to one backend, so a test can ask a chosen instance;
 * `X-Served-By` in the answer names the backend that served it. It adds X-Forwarded-For and X-Request-Id.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';

export interface RoundRobinProxy {
  url: string;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: { port: number }[]): Promise<RoundRobinProxy> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const pinned = req.headers['x-test-backend'];
    const order = pinned !== undefined ? [Number(pinned)] : backends.map((_b, i) => (next + i) % backends.length);
    if (pinned === undefined) next = (next + 1) % backends.length;
    const body: Buffer[] = [];
    let bodyDone = false;
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => (bodyDone = true));
    const attempt = (i: number) => {
      const index = order[i]!;
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: backends[index]!.port,
          method: req.method,
          path: req.url,
          agent: false,
          headers: {
            ...req.headers,
            'x-forwarded-for': req.socket.remoteAddress ?? '',
            'x-request-id': req.headers['x-request-id'] ?? randomUUID(),
            connection: 'close',
          },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-served-by': String(index) });
          answer.pipe(res);
        },
      );
      let failed = false;
      upstream.on('error', (e: NodeJS.ErrnoException) => {
        if (failed) return;
        failed = true;
        // Refused: nothing reached that backend, so the next one may have the request.
        if (e.code === 'ECONNREFUSED' && i + 1 < order.length) return attempt(i + 1);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${e.message}`);
      });
      // Stream the body as it arrives (a slow client's request reaches the backend while still being sent).
      for (const chunk of body) upstream.write(chunk);
      if (bodyDone) upstream.end();
      else {
        req.on('data', (chunk: Buffer) => failed || upstream.write(chunk));
        req.on('end', () => failed || upstream.end());
      }
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
