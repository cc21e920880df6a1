// Small local servers on 127.0.0.1 that misbehave on purpose (issue 13): they stand for a broken or unreachable
// API server in front of klab's reachability probe and request deadlines. None pretends to be Kubernetes for a
// check's verdict: they only answer /version, or refuse, stall, drip or answer garbage.
import http from 'node:http';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './_cli.js';

export interface Running { url: string; close(): Promise<void>; onConnection(f: () => void): void }

function listen(server: net.Server, scheme: 'http' | 'https'): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    resolve({
      url: `${scheme}://127.0.0.1:${port}`,
      close: () => new Promise<void>((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
      onConnection: (f) => { server.on('connection', f); },
    });
  }));
}

/** Accepts TCP connections and never says a word: a stalled TLS handshake for an https:// URL. */
export function acceptAndStall(): Promise<Running> {
  return listen(net.createServer(() => { /* keep the socket open, silent */ }), 'https');
}

const VERSION = JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.0' });

/** Answers GET /version like an API server, then never answers anything else. */
export function stallAfterVersion(): Promise<Running> {
  return listen(http.createServer((req, res) => {
    if (req.url === '/version') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(VERSION); }
    // anything else: headers never come
  }), 'http');
}

/** Sends headers at once, then one byte of body every 200 ms, forever. */
export function slowDrip(): Promise<Running> {
  return listen(http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    const t = setInterval(() => res.write(' '), 200);
    res.on('close', () => clearInterval(t));
  }), 'http');
}

/** The same status code and body for every request (401, 403, 500 …). */
export function statusServer(code: number, body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `status ${code}`, code })): Promise<Running> {
  return listen(http.createServer((_req, res) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(body); }), 'http');
}

/** A web server that is not a Kubernetes API server: 200 with an HTML page. */
export function nonJson(): Promise<Running> {
  return listen(http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html><body>It works!</body></html>'); }), 'http');
}

/** A kubeconfig whose only context points at `url` (TLS not verified: these servers have no certificate). */
export function kubeconfigFor(url: string): string {
  const file = join(tempDir('klab-kc-'), 'config');
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`);
  return file;
}
