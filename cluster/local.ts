// The `local` provider: a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler) built from the published Go modules and run as host processes, kwok-simulated nodes per
// cluster/nodegroups.yaml, Argo Workflows' controller, and (when cluster/local/node.ts can) a real kubelet node.
// No Docker needed. See docs/local-provider.en.md.
import type { Provider, ProviderOptions, Progress, Capabilities } from './provider.js';
import { KlabError, ExitCode, fill } from '../i18n/index.js';
import { buildTools, findGo, missingTools, currentBinDir, argoInstallManifest, tool, tools, rolloutsTools } from './local/tools.js';
import { up, down, status, readState, capabilitiesFor, stateDir, runningProcesses, setSharedArgo, CONTEXT } from './local/cluster.js';
import { LB_RANGE } from './local/metallb.js';

export { argoInstallManifest, currentBinDir as localBinDir, stateDir as localStateDir, CONTEXT as LOCAL_CONTEXT };

/**
 * `klab cluster build --provider local` and the test runner: build every missing binary, the add-ons' too (Argo
 * Rollouts), instant when cached. The suite then never builds while trainees start labs side by side.
 */
export async function buildLocal(progress: Progress): Promise<void> {
  await buildTools(progress, [...tools, ...rolloutsTools]);
}

/** For the test runner's teardown: throws if any process started by the local provider is still alive. */
export function assertNothingRunning(): void {
  const left = runningProcesses();
  if (left.length > 0) {
    throw new KlabError(fill({ ko: 'local 클러스터 프로세스가 아직 남아 있습니다: {list}', en: 'Local cluster processes are still running: {list}' },
      { list: left.map((p) => `${p.pid} ${p.cmd.slice(0, 80)}`).join('; ') }), ExitCode.unreachable);
  }
}

export function createProvider(opts: ProviderOptions): Provider {
  return {
    name: 'local',
    async available() {
      if (process.platform !== 'linux') {
        return { ok: false, reason: { ko: 'local 제공자는 Linux에서만 동작합니다.', en: 'The local provider runs on Linux only.' } };
      }
      if (missingTools().length === 0) return { ok: true };
      try {
        await findGo();
        return { ok: true };
      } catch (e) {
        if (e instanceof KlabError) return { ok: false, reason: e.text };
        throw e;
      }
    },
    async up(o) {
      // A lab's add-ons are built first, before `up` takes the cluster's lock (a cold build takes minutes; another
      // trainee's start waits for that lock only briefly). A plain `up` builds none of them.
      const addonTools = [
        ...(o.addons?.includes('ingress') ? [tool('traefik')] : []),
        ...(o.addons?.includes('rollouts') ? rolloutsTools : []),
        ...(o.addons?.includes('loadbalancer') ? [tool('metallb-controller')] : []),
      ];
      if (addonTools.length) await buildTools(o.progress, addonTools);
      const r = await up(o.progress, { force: o.force ?? opts.force, addons: o.addons });
      if (!r.alreadyRunning) {
        o.progress.info(fill({
          ko: 'local 클러스터 준비 완료 ({s}초). kubeconfig: {kc} (context {ctx})\nkubectl, helm, argo: {bin}',
          en: 'Local cluster ready ({s}s). kubeconfig: {kc} (context {ctx})\nkubectl, helm, argo: {bin}',
        }, { s: r.timings.total, kc: r.info.kubeconfig, ctx: r.info.context, bin: r.info.binDir }));
      }
      return r.info;
    },
    async down(o) {
      const r = await down(o.progress);
      o.progress.info(r.wasRunning
        ? fill({ ko: 'local 클러스터를 중지했습니다: {list}', en: 'Stopped the local cluster: {list}' }, { list: r.stopped.join(', ') || '-' })
        : { ko: 'local 클러스터가 실행 중이 아니었습니다.', en: 'The local cluster was not running.' });
    },
    async status() {
      return status();
    },
    async locate() {
      const s = readState();
      // The real node's Docker engine listens on its own socket (labs' `docker build/push`).
      const dockerHost = s?.capabilities.registry ? `unix://${(await import('./local/node/services.js')).nodePaths(stateDir()).docker.socket}` : undefined;
      return { kubeconfig: s?.kubeconfig, context: s?.context ?? CONTEXT, binDir: s ? currentBinDir() : undefined, dockerHost, lbRange: LB_RANGE };
    },
    capabilities(): Capabilities {
      const s = readState();
      return s ? s.capabilities : capabilitiesFor(false);
    },
    sharedArgo: setSharedArgo,
  };
}
