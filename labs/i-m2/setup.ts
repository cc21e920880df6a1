// i-m2 starting state: nothing in the lab namespace (the trainee creates it). On a cluster without internet access
// (the `local` provider: it has kwok-simulated nodes) setup renders the pinned release manifest from the Go module cache
// and prints its path; elsewhere the trainee uses the release URL.
import type { LabRuntime } from '../_engine/runtime.js';
import { existsSync } from 'node:fs';
import { renderLocalManifest, removeLocalManifest, localManifestPath, REAL_NODE_LABEL } from './shared.js';

export default async function setup(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = rt.kc.makeApiClient(CoreV1Api);
  const nodes = (await core.listNode()).items;
  const simulated = nodes.some((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
  const real = nodes.filter((n) => n.metadata?.labels?.[REAL_NODE_LABEL] === 'true').map((n) => n.metadata!.name!);
  rt.log({ ko: `Argo Workflows 를 설치할 네임스페이스: ${rt.namespace} (직접 만드세요)`, en: `Namespace to install Argo Workflows into: ${rt.namespace} (create it yourself)` });
  // Resuming keeps the file as it is: the trainee may have edited it (e.g. a nodeSelector added before applying it).
  const keep = rt.resuming && existsSync(localManifestPath());
  if (!keep) removeLocalManifest();
  if (simulated) {
    const file = keep ? localManifestPath() : await renderLocalManifest(rt, p.version, real);
    rt.log({ ko: `이 클러스터는 인터넷에 닿지 않으므로 릴리스 매니페스트 대신 이 파일을 쓰세요 (같은 릴리스 ${p.version}, Go 모듈 캐시에서 생성):\n  ${file}`, en: `This cluster has no internet access: use this file instead of the release URL (the same release ${p.version}, built from the Go module cache):\n  ${file}` });
  } else {
    rt.log({ ko: `릴리스 매니페스트: ${p.manifestUrl}`, en: `Release manifest: ${p.manifestUrl}` });
  }
}
