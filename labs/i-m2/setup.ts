// i-m2 starting state: nothing in the lab namespace (the trainee creates it). klab's own cluster-wide Argo controller
// (kind's add-on, the local provider's host process) is paused for the lab: the trainee's controller must be the
// only one running their namespace's workflows, or the test workflow would say nothing about their workflowDefaults
// (decision 0015; reset and any lab that needs klab's Argo resume it). On a cluster without internet access (the
// `local` provider: it has kwok-simulated nodes) setup renders the pinned release manifest from the Go module cache
// and prints its path; elsewhere the trainee uses the release URL.
import type { LabRuntime } from '../_engine/runtime.js';
import { existsSync } from 'node:fs';
import { renderLocalManifest, removeLocalManifest, localManifestPath } from './shared.js';

export default async function setup(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = rt.kc.makeApiClient(CoreV1Api);
  const nodes = (await core.listNode()).items;
  const simulated = nodes.some((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
  rt.log({ ko: `Argo Workflows 를 설치할 네임스페이스: ${rt.namespace} (직접 만드세요)`, en: `Namespace to install Argo Workflows into: ${rt.namespace} (create it yourself)` });
  if (await rt.sharedArgo(false)) {
    rt.log({ ko: 'klab 이 설치해 둔 클러스터 전체 Argo 컨트롤러를 이 실습 동안 멈췄습니다: 여러분이 설치하는 컨트롤러만 워크플로를 돌려야 하기 때문입니다 (klab reset i-m2 가 다시 켭니다).', en: "Paused the cluster-wide Argo controller klab installed, for this lab: only the controller you install may run your workflows (klab reset i-m2 turns it back on)." });
  }
  // Resuming keeps the file as it is: the trainee may have edited it (e.g. a nodeSelector added before applying it).
  const keep = rt.resuming && existsSync(localManifestPath());
  if (!keep) removeLocalManifest();
  if (simulated) {
    const file = keep ? localManifestPath() : await renderLocalManifest(rt, p.version);
    rt.log({ ko: `이 클러스터는 인터넷에 닿지 않으므로 릴리스 매니페스트 대신 이 파일을 쓰세요 (같은 릴리스 ${p.version}, Go 모듈 캐시에서 생성):\n  ${file}`, en: `This cluster has no internet access: use this file instead of the release URL (the same release ${p.version}, built from the Go module cache):\n  ${file}` });
  } else {
    rt.log({ ko: `릴리스 매니페스트: ${p.manifestUrl}`, en: `Release manifest: ${p.manifestUrl}` });
  }
}
