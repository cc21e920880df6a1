// Start-up probes of the local cluster's components: wait until one is ready (or say it died, with its log), an
// HTTP(S) GET of a health URL with the cluster's client certificate, and KLAB_LOCAL_TRACE timing lines.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { KlabError, ExitCode, fill, type Text } from '../../i18n/index.js';
import { isAlive, logTail, sleep, type ProcRecord } from '../../host/procs.js';
import { poll } from '../../host/wait.js';

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

const componentDied: Text = {
  ko: '{name} 이(가) 시작 중에 종료되었습니다. 로그: {log}\n--- 로그 끝부분 ---\n{tail}',
  en: '{name} exited while starting. Log: {log}\n--- end of its log ---\n{tail}',
};
/** A component that exited while klab waited for it: exit 3 with the end of its log. */
export function componentDiedError(rec: ProcRecord): KlabError {
  return new KlabError(fill(componentDied, { name: rec.name, log: rec.log, tail: logTail(rec.log) }), ExitCode.unreachable);
}

const componentTimeout: Text = {
  ko: '{name} 이(가) {s}초 안에 준비되지 않았습니다. 로그: {log}\n--- 로그 끝부분 ---\n{tail}',
  en: '{name} was not ready within {s}s. Log: {log}\n--- end of its log ---\n{tail}',
};

/** Poll `ready` until true; a dead process or a timeout is a KlabError (exit 3) carrying the log tail. */
export async function waitReady(rec: ProcRecord, ready: () => Promise<boolean>, timeoutMs: number, watch: ProcRecord[] = [rec]): Promise<void> {
  const r = await poll(async () => {
    const dead = watch.find((w) => !isAlive(w));
    if (dead) {
      await sleep(200); // let the log flush
      throw componentDiedError(dead);
    }
    return ready();
  }, (ok) => ok, { timeoutMs, everyMs: 150, fatal: (e) => e instanceof KlabError });
  if (!r.done) throw new KlabError(fill(componentTimeout, { name: rec.name, s: Math.round(timeoutMs / 1000), log: rec.log, tail: logTail(rec.log) }), ExitCode.unreachable);
}

