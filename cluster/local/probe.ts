// Start-up probes of the local cluster's components: an HTTP(S) GET of a health URL with the cluster's client
// certificate, and KLAB_LOCAL_TRACE timing lines.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface GetOpts { ca?: Buffer; cert?: Buffer; key?: Buffer; insecure?: boolean; timeoutMs?: number }
/** GET a URL; resolves to {status, body} or undefined on connection errors. */
export function httpGet(url: string, o: GetOpts = {}): Promise<{ status: number; body: string } | undefined> {
  return new Promise((res) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: 'GET', ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: !o.insecure, timeout: o.timeoutMs ?? 2000,
    }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c) => { body += c; });
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      r.on('error', () => res(undefined));
    });
    req.on('timeout', () => { req.destroy(); });
    req.on('error', () => res(undefined));
    req.end();
  });
}

const traceStart = Date.now();
/** KLAB_LOCAL_TRACE=1: timestamped start-up steps on stderr (for diagnosing slow or stuck `up`). */
export function trace(msg: string): void {
  if (process.env.KLAB_LOCAL_TRACE === '1') process.stderr.write(`[local +${((Date.now() - traceStart) / 1000).toFixed(2)}s] ${msg}\n`);
}
