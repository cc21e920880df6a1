// Which cluster a command talks to, and whether it answers.
// Order: --provider, then --context/--kubeconfig (existing), then the cluster of the last `klab start`/`cluster up`
// (state/current.json), then the kubeconfig's current context (existing).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { KlabError, ExitCode, same, type Lang, type Text } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import { getProvider, providerNames } from './index.js';
import { probeTimeoutMs } from './existing.js';
import http from 'node:http';
import https from 'node:https';
import { stateDir, defaultKubeconfig, writeState, stateError } from './paths.js';
import type { Capabilities, ClusterInfo, ProviderName, ProviderOptions } from './provider.js';

export interface TargetFlags { provider?: ProviderName; kubeconfig?: string; context?: string; yes?: boolean; force?: boolean; verbose?: boolean; lang?: Lang }

const currentFile = () => join(stateDir(), 'current.json');

export function rememberCluster(info: ClusterInfo): void {
  writeState(currentFile(), JSON.stringify({ provider: info.provider, kubeconfig: info.kubeconfig, context: info.context }) + '\n');
}

/** The cluster of the last `klab start`/`cluster up`; a file of the wrong shape is the user's to fix (exit 2). */
function remembered(): { provider: ProviderName; kubeconfig: string; context: string } | undefined {
  let raw: string;
  try { raw = readFileSync(currentFile(), 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((e as NodeJS.ErrnoException).code !== 'EISDIR') throw stateError(currentFile(), e);
    throw new KlabError(msg('state.currentBad', { path: currentFile(), detail: 'EISDIR' }), ExitCode.usage);
  }
  let r: any;
  try { r = JSON.parse(raw); } catch { r = undefined; }
  const bad = (detail: string) => new KlabError(msg('state.currentBad', { path: currentFile(), detail }), ExitCode.usage);
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw bad('not a JSON object');
  if (!providerNames.includes(r.provider)) throw bad(`provider: ${JSON.stringify(r.provider)} (${providerNames.join(', ')})`);
  for (const k of ['kubeconfig', 'context'] as const) if (typeof r[k] !== 'string') throw bad(`${k}: ${JSON.stringify(r[k])} (a string)`);
  return r;
}

export function providerOptions(f: TargetFlags): ProviderOptions {
  return { kubeconfig: f.kubeconfig, context: f.context, yes: f.yes, force: f.force, verbose: f.verbose, lang: f.lang };
}

/** Resolve the target cluster from flags, the state folder and the kubeconfig file only: never contacts a cluster. */
export async function resolveTarget(f: TargetFlags): Promise<ClusterInfo> {
  let name: ProviderName | undefined = f.provider;
  const opts = providerOptions(f);
  if (!name && !f.context && !f.kubeconfig) {
    const r = remembered();
    if (r) {
      if (r.provider === 'existing') { opts.kubeconfig = r.kubeconfig; opts.context = r.context; }
      name = r.provider;
    }
  }
  name ??= 'existing';
  const provider = await getProvider(name, opts);
  const where = await provider.locate();
  const kubeconfig = where.kubeconfig ?? opts.kubeconfig ?? defaultKubeconfig();
  const context = where.context ?? opts.context ?? '';
  return { provider: name, kubeconfig, context, capabilities: provider.capabilities(), binDir: where.binDir, ...(where.dockerHost ? { dockerHost: where.dockerHost } : {}), ...(where.lbRange ? { lbRange: where.lbRange } : {}) };
}

/**
 * Load the kubeconfig for `info` (exit 2 when it is broken) and make ONE request to the API server with one
 * deadline (KLAB_PROBE_TIMEOUT, default 3 s). No answer, a refused connection, refused credentials (401/403) or an
 * answer that is not a Kubernetes API server: KlabError exit 3, saying which. For the `existing` provider the node
 * groups and capabilities are then detected, each request under the same deadline.
 */
export async function connect(info: ClusterInfo, timeoutMs = probeTimeoutMs()): Promise<KubeConfig> {
  if (!existsSync(info.kubeconfig)) throw new KlabError(msg('cluster.noKubeconfig', { path: info.kubeconfig }), ExitCode.unreachable);
  const existing = await import('./existing.js');
  const lc = await existing.loadContext({ kubeconfig: info.kubeconfig, context: info.context || undefined });
  info.context ||= lc.context;
  await probe(lc.kc, lc.context, timeoutMs);
  // kind and existing clusters may advertise their registry (KEP-1755); the local provider's is its own.
  const advertised = info.provider !== 'local' && info.registry === undefined ? existing.readRegistryHosting(lc, timeoutMs) : undefined;
  // …and the LoadBalancer address block klab's MetalLB add-on advertises (labs' {lbaddr}; decision 0033).
  const lbRange = info.lbRange === undefined ? existing.readLbRange(lc, timeoutMs) : undefined;
  if (info.provider === 'existing' && !Object.values(info.capabilities).some(Boolean)) {
    info.capabilities = await existing.detectAll(lc, timeoutMs);
  }
  const registry = await advertised;
  if (registry) info.registry = registry;
  const range = await lbRange;
  if (range) info.lbRange = range;
  return lc.kc;
}

/**
 * The one reachability probe (GET /version, one hard deadline): the server's gitVersion, or a KlabError exit 3 saying
 * which — no answer, refused connection, credentials refused (401), forbidden (403), or an answer that is not a
 * Kubernetes API server. Used by `connect`, the `existing` provider and `klab doctor`; every later request goes through
 * client-node (cluster/kube.ts). Hand-written on purpose (decision 0019): undici, under client-node, cannot abort a
 * connection still in its TLS handshake, which then keeps klab alive for its 10 s connect timeout after the answer.
 */
export async function probe(kc: KubeConfig, context: string, timeoutMs = probeTimeoutMs()): Promise<string> {
  const server = kc.getCurrentCluster()?.server ?? '?';
  const vars = { server, context };
  let r: { status: number; body: any };
  try { r = await getVersion(kc, server, timeoutMs); } catch (e) {
    const err = e as NodeJS.ErrnoException & { cause?: { code?: string } };
    const d = err.code === 'ETIMEDOUT' ? msg('cluster.noAnswer', { s: timeoutMs / 1000 }) : same(err.cause?.code ?? err.code ?? err.message);
    const text = (l: Lang) => msg('cluster.unreachable', { ...vars, detail: d[l] })[l];
    throw new KlabError({ ko: text('ko'), en: text('en') }, ExitCode.unreachable);
  }
  const said = typeof r.body === 'string' ? r.body.slice(0, 160).trim() : String(r.body?.message ?? '').slice(0, 160);
  if (r.status === 401) throw new KlabError(msg('cluster.unauthenticated', { ...vars, said }), ExitCode.unreachable);
  if (r.status === 403) throw new KlabError(msg('cluster.forbidden', { ...vars, said }), ExitCode.unreachable);
  if (r.status !== 200 || typeof r.body?.gitVersion !== 'string') {
    throw new KlabError(msg('cluster.notKubernetes', { ...vars, status: r.status, said: said || '-' }), ExitCode.unreachable);
  }
  return r.body.gitVersion;
}

const MAX_BODY = 8 << 20;

/**
 * GET /version with one hard deadline: when it passes, the socket is destroyed wherever it is — connecting, in the TLS
 * handshake, waiting for headers, or mid-body. No connection is kept (agent: false). Throws on network errors and
 * timeouts (code ETIMEDOUT).
 */
async function getVersion(kc: KubeConfig, server: string, timeoutMs: number): Promise<{ status: number; body: any }> {
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts); // client certs, CA, bearer token, exec plugins (e.g. aws eks get-token)
  const url = new URL('/version', server.endsWith('/') ? server : server + '/');
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { ...opts, agent: false, method: 'GET', headers: { ...(opts.headers ?? {}), Accept: 'application/json' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; if (data.length > MAX_BODY) req.destroy(new Error(`answer larger than ${MAX_BODY} bytes`)); });
      res.on('end', () => {
        clearTimeout(timer);
        let body: any = data;
        try { body = JSON.parse(data); } catch { /* raw text */ }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', (e) => { clearTimeout(timer); reject(e); });
    req.end();
  });
}

export function missingCapabilities(have: Capabilities, need: (keyof Capabilities)[] = []): (keyof Capabilities)[] {
  return need.filter((c) => !have[c]);
}

export type { Text };
