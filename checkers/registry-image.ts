// registry-image: an image tag exists in a container registry (HTTP API v2: HEAD /v2/<repo>/manifests/<tag>, its
// digest from Docker-Content-Digest), and — with `pods` — the selected pods run exactly that digest (the
// containers' `imageID`). The registry is the one the image reference names (localhost:5000 on the local provider,
// localhost:5001 on kind, <account>.dkr.ecr.<region>.amazonaws.com on EKS). Plain HTTP for localhost/127.0.0.1,
// HTTPS otherwise. A registry asking for credentials gets those of `docker login` (DOCKER_CONFIG or
// ~/.docker/config.json, "auths"); without them klab cannot tell, and says so (error, never a pass or a fail).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import { CheckError } from './types.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind, podSelectorSchema, podSelectorProblems, tfill } from './registry.js';
import type { Spec } from './registry.js';
import { selectPods, eventsFor } from './k8s.js';
import type { PodSelector } from './k8s.js';
import { diagnosePod } from './pod-health.js';
import { selectionMotion } from './settle.js';

export interface ImageRef { host: string; repo: string; tag: string }

/** Split `host[:port]/repo[:tag]` (the host is required: a registry image is always named with its registry). */
export function parseImageRef(ref: string): ImageRef | null {
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.indexOf('/');
  if (slash < 0) return null;
  const host = ref.slice(0, slash);
  if (!/[.:]/.test(host) && host !== 'localhost') return null;
  let rest = ref.slice(slash + 1);
  let tag = 'latest';
  const colon = rest.lastIndexOf(':');
  if (colon > 0) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  if (!rest) return null;
  return { host, repo: rest, tag };
}

export function registryBase(host: string, override?: string): string {
  if (override) return override.replace(/\/$/, '');
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host) ? `http://${host}` : `https://${host}`;
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json',
].join(', ');

type Fetch = typeof fetch;

/** `docker login`'s stored credentials for a registry host, as an Authorization header value (Basic), if any. */
export function dockerAuth(host: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const cfg = JSON.parse(readFileSync(join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), 'utf8')) as { auths?: Record<string, { auth?: string }> };
    for (const [k, v] of Object.entries(cfg.auths ?? {})) if (k.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === host && v.auth) return `Basic ${v.auth}`;
  } catch { /* no config */ }
  return undefined;
}

/** GET/HEAD with one retry after a 401: Basic with docker's stored credentials, or a Bearer token from the realm. */
async function authed(f: Fetch, url: string, init: RequestInit, host: string, signal?: AbortSignal): Promise<Response> {
  const go = (h: Record<string, string> = {}) => f(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...h }, signal: signal ?? AbortSignal.timeout(10_000) });
  const res = await go();
  if (res.status !== 401) return res;
  const basic = dockerAuth(host);
  const challenge = res.headers.get('www-authenticate') ?? '';
  if (/^basic/i.test(challenge)) return basic ? go({ Authorization: basic }) : res;
  const m = /^bearer\s+(.*)$/i.exec(challenge);
  if (!m) return res;
  const params = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
  if (!params.realm) return res;
  const q = new URLSearchParams(Object.entries(params).filter(([k]) => k !== 'realm'));
  const tr = await f(`${params.realm}?${q}`, { headers: basic ? { Authorization: basic } : {}, signal: signal ?? AbortSignal.timeout(10_000) });
  if (!tr.ok) return res;
  const tok = (await tr.json() as { token?: string; access_token?: string });
  return go({ Authorization: `Bearer ${tok.token ?? tok.access_token}` });
}

export type Lookup = { found: true; digest: string } | { found: false; tags: string[] | null; repos: string[] | null };

/** Ask the registry for a tag's digest; when absent, the repository's tags (null: no such repository) and the catalogue. */
export async function lookupTag(ref: ImageRef, o: { registryUrl?: string; fetch?: Fetch; signal?: AbortSignal } = {}): Promise<Lookup> {
  const f = o.fetch ?? fetch;
  const base = registryBase(ref.host, o.registryUrl);
  let res: Response;
  try {
    res = await authed(f, `${base}/v2/${ref.repo}/manifests/${ref.tag}`, { method: 'HEAD', headers: { Accept: ACCEPT } }, ref.host, o.signal);
  } catch (e) {
    throw new CheckError(fill({ ko: '레지스트리 {b}에 연결할 수 없습니다: {e}', en: 'Cannot reach the registry {b}: {e}' }, { b: base, e: ((e as Error).cause as Error)?.message ?? (e as Error).message }));
  }
  if (res.status === 401 || res.status === 403) {
    throw new CheckError(fill({ ko: '레지스트리 {h}가 인증을 요구합니다: `docker login {h}` (ECR: `aws ecr get-login-password … | docker login …`) 후 다시 확인하세요.', en: 'The registry {h} wants credentials: run `docker login {h}` (ECR: `aws ecr get-login-password … | docker login …`) and check again.' }, { h: ref.host }));
  }
  if (res.ok) {
    const digest = res.headers.get('docker-content-digest');
    if (!digest) throw new CheckError(fill({ ko: '레지스트리 {h}가 Docker-Content-Digest 를 주지 않습니다.', en: 'The registry {h} sent no Docker-Content-Digest.' }, { h: ref.host }));
    return { found: true, digest };
  }
  if (res.status !== 404) throw new CheckError(fill({ ko: '레지스트리 {h}: HTTP {s}', en: 'Registry {h}: HTTP {s}' }, { h: ref.host, s: res.status }));
  let tags: string[] | null = null;
  let repos: string[] | null = null;
  try {
    const t = await authed(f, `${base}/v2/${ref.repo}/tags/list`, {}, ref.host, o.signal);
    if (t.ok) tags = ((await t.json()) as { tags?: string[] | null }).tags ?? [];
    else {
      const c = await authed(f, `${base}/v2/_catalog?n=200`, {}, ref.host, o.signal);
      if (c.ok) repos = ((await c.json()) as { repositories?: string[] }).repositories ?? [];
    }
  } catch { /* the tag is absent either way: the lists only make the message better */ }
  return { found: false, tags, repos };
}

/** The digest in a container's imageID (`localhost:5000/x@sha256:…`, `docker-pullable://…@sha256:…`). */
export function digestOf(imageID: string | undefined): string | undefined {
  return /@(sha256:[0-9a-f]{64})$/.exec(imageID ?? '')?.[1];
}

/** Whether each pod runs exactly `digest` (by its containers' imageID); the diagnosis of the ones that do not. */
export function podVerdicts(pods: V1Pod[], ref: ImageRef, digest: string, container?: string): { bad: Text[]; hints: Text[]; unhealthy: string[]; observed: { pod: string; container: string; image?: string; digest?: string }[] } {
  const bad: Text[] = [];
  const hints: Text[] = [];
  const unhealthy: string[] = [];
  const observed: { pod: string; container: string; image?: string; digest?: string }[] = [];
  for (const p of pods) {
    const name = p.metadata?.name ?? '?';
    const statuses = (p.status?.containerStatuses ?? []).filter((c) => !container || c.name === container);
    observed.push(...statuses.map((c) => ({ pod: name, container: c.name, image: c.image, digest: digestOf(c.imageID) })));
    if (statuses.some((c) => digestOf(c.imageID) === digest)) continue;
    const d = diagnosePod(p);
    if (!d.healthy) { bad.push(...d.reasons); hints.push(...d.hints); unhealthy.push(name); continue; }
    const other = statuses.map((c) => `${c.name}: ${c.image} (${digestOf(c.imageID)?.slice(0, 19) ?? '?'})`).join(', ');
    bad.push(fill({ ko: '파드 {p}는 레지스트리의 {i} ({d})를 실행하지 않습니다: {other}.', en: 'Pod {p} does not run {i} from the registry ({d}): {other}.' }, { p: name, i: `${ref.host}/${ref.repo}:${ref.tag}`, d: digest.slice(0, 19), other: other || '-' }));
    if (statuses.some((c) => parseImageRef(c.image)?.repo === ref.repo && parseImageRef(c.image)?.tag === ref.tag)) {
      hints.push({ ko: '같은 태그로 다시 push 했다면 파드는 예전 다이제스트를 계속 실행합니다: 새 태그를 쓰거나 파드를 다시 만드세요.', en: 'Pushed again under the same tag? Running pods keep the old digest: use a new tag, or recreate the pods.' });
    } else hints.push(fill({ ko: '차트 값의 image.repository / image.tag 가 {i}{i:을/를} 가리키게 하세요.', en: 'Point the chart\'s image.repository / image.tag at {i}.' }, { i: `${ref.host}/${ref.repo}:${ref.tag}` }));
  }
  return { bad, hints, unhealthy, observed };
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const image = String(spec.image);
  const ref = parseImageRef(image);
  if (!ref) {
    return { ok: false, settled: true, reasons: [fill({ ko: '이미지 이름 {i}에 레지스트리 주소가 없습니다 (예: localhost:5000/앱:태그).', en: 'The image name {i} has no registry host (e.g. localhost:5000/app:tag).' }, { i: image })] };
  }
  const look = await lookupTag(ref, { registryUrl: spec.registryUrl, signal: ctx.signal });
  if (!look.found) {
    const reasons: Text[] = [];
    if (look.tags) {
      reasons.push(fill({ ko: '레지스트리 {h}의 {r}에 태그 {t}{t:이/가} 없습니다 (있는 태그: {list}).', en: 'The registry {h} has no tag {t} in {r} (tags there: {list}).' }, { h: ref.host, r: ref.repo, t: ref.tag, list: look.tags.join(', ') || '-' }));
    } else {
      reasons.push(fill({ ko: '레지스트리 {h}에 저장소 {r}{r:이/가} 없습니다 (있는 것: {list}).', en: 'The registry {h} has no repository {r} (it has: {list}).' }, { h: ref.host, r: ref.repo, list: (look.repos ?? []).join(', ') || '-' }));
    }
    return { ok: false, settled: true, reasons, observed: { image, found: false, tags: look.tags, repositories: look.repos },
      hints: [fill({ ko: '`docker tag <이미지 ID 앞 4자리> {i}` 후 `docker push {i}` 하세요.', en: 'Run `docker tag <first 4 characters of the image ID> {i}`, then `docker push {i}`.' }, { i: image })] };
  }
  const head = fill({ ko: '레지스트리에 {i} 있음 ({d})', en: '{i} is in the registry ({d})' }, { i: image, d: look.digest.slice(0, 19) });
  if (!spec.pods) return { ok: true, settled: true, reasons: [head], observed: { image, digest: look.digest } };

  const sel: PodSelector = { namespace: spec.namespace, ...spec.pods };
  const got = await selectPods(ctx.kc, sel, ctx.namespace);
  if (got.problem) return { ok: false, settled: true, reasons: [head, got.problem] };
  if (!got.pods.length) {
    const waitingFor = await selectionMotion(ctx.kc, got) ?? undefined;
    return { ok: false, settled: !waitingFor, waitingFor, reasons: [head, tfill({ ko: '{what}: 파드가 없습니다.', en: '{what}: no pods.' }, { what: got.what })] };
  }
  const v = podVerdicts(got.pods, ref, look.digest, spec.container);
  const evidence: Evidence[] = [];
  for (const name of v.unhealthy.slice(0, 3)) { const ev = await eventsFor(ctx.kc, got.namespace, 'Pod', name); if (ev) evidence.push(ev); }
  const { bad, hints, observed } = v;
  const waitingFor = bad.length ? await selectionMotion(ctx.kc, got) ?? undefined : undefined;
  return { ok: bad.length === 0, settled: !waitingFor, waitingFor, reasons: [head, ...bad], hints: [...new Map(hints.map((h) => [h.en, h])).values()], evidence, observed: { image, digest: look.digest, pods: observed } };
}

registerKind({
  kind: 'registry-image',
  description: { ko: '레지스트리에 이미지 태그가 있고 (HTTP API v2, 다이제스트), 파드가 정확히 그 다이제스트를 실행하는지 (imageID)', en: 'An image tag exists in a registry (HTTP API v2, digest), and pods run exactly that digest (imageID)' },
  properties: {
    image: { type: 'string', minLength: 1 },
    registryUrl: { type: 'string', pattern: '^https?://' },
    namespace: { type: 'string', minLength: 1 },
    pods: podSelectorSchema,
    container: { type: 'string', minLength: 1 },
  },
  required: ['image'],
  validate: (s) => podSelectorProblems(s.pods, '/pods'),
  title: (s) => fill({ ko: '레지스트리의 이미지 {i}', en: 'Image {i} in the registry' }, { i: s.image }),
  probe,
});
