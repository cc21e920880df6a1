// Leave nothing behind: the container processes of every pod (found through the /klab cgroup tree the kubelet puts
// them in), containerd's shims, the mounts under the node's state dir and the pods' network namespaces, the
// iptables chains of kube-proxy (KUBE-*) and of the CNI plugins (CNI-*), and the pods' bridge.
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processesMentioning, run, runSync, sleep } from '../../../host/procs.js';
import { BRIDGE } from './kubelet.js';
import type { NodePaths } from './services.js';

export const CGROUP_ROOT = 'klab';
const CGROUP_BASE = '/sys/fs/cgroup';

/** The cgroup v1 hierarchies (cpu, memory, …, systemd) where the kubelet creates /klab; with `unified`, also the
 *  cgroup2 tree of a hybrid host, where runc mirrors the pods' cgroups. */
export function cgroupHierarchies(unified = false): string[] {
  try {
    return readdirSync(CGROUP_BASE, { withFileTypes: true })
      .filter((e) => e.isDirectory() && (unified || e.name !== 'unified') && !e.name.includes(','))
      .map((e) => join(CGROUP_BASE, e.name))
      .filter((d) => existsSync(join(d, 'cgroup.procs')));
  } catch { return []; }
}

/** Make /klab in every hierarchy (the kubelet refuses a cgroupRoot that does not exist). cpuset needs its cpus/mems. */
export function ensureCgroupRoot(): void {
  for (const h of cgroupHierarchies()) {
    const d = join(h, CGROUP_ROOT);
    if (!existsSync(d)) runSync('mkdir', ['-p', d]);
    if (h.endsWith('/cpuset')) {
      for (const f of ['cpuset.cpus', 'cpuset.mems']) {
        try {
          if (!readFileSync(join(d, f), 'utf8').trim()) runSync('sh', ['-c', `cat ${join(h, f)} > ${join(d, f)}`]);
        } catch { /* not there */ }
      }
    }
  }
}

function walk(dir: string, out: string[]) {
  out.push(dir);
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name), out);
  } catch { /* gone */ }
}

function cgroupPids(): number[] {
  const pids = new Set<number>();
  for (const h of cgroupHierarchies(true)) {
    const dirs: string[] = [];
    const root = join(h, CGROUP_ROOT);
    if (!existsSync(root)) continue;
    walk(root, dirs);
    for (const d of dirs) {
      try {
        for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) { const n = Number(l); if (n > 1) pids.add(n); }
      } catch { /* gone */ }
    }
  }
  return [...pids];
}

/** SIGKILL every process of every pod (and the shims that watch them), then remove the /klab cgroups. */
export async function killPods(P: NodePaths): Promise<number> {
  let killed = 0;
  for (let round = 0; round < 20; round++) {
    const pids = [...cgroupPids(), ...processesMentioning(P.containerd.socket).map((p) => p.pid).filter((p) => {
      try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('/usr/bin/containerd-shim'); } catch { return false; }
    })];
    if (pids.length === 0) break;
    for (const p of pids) { try { process.kill(p, 'SIGKILL'); killed++; } catch { /* gone */ } }
    await sleep(150);
  }
  // Remove the cgroups, deepest first.
  for (const h of cgroupHierarchies(true)) {
    const dirs: string[] = [];
    const root = join(h, CGROUP_ROOT);
    if (!existsSync(root)) continue;
    walk(root, dirs);
    for (const d of dirs.reverse()) { try { rmdirSync(d); } catch { /* busy or gone */ } }
  }
  return killed;
}

/** Unmount everything mounted below `base` (deepest first) and the pods' network namespaces. */
export async function unmountAll(base: string, netns = true): Promise<void> {
  const netnsDirs = netns ? ['/run/netns/', '/var/run/netns/'] : [];
  for (let round = 0; round < 3; round++) {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
      .map((l) => l.split(' ')[4]?.replace(/\\040/g, ' '))
      .filter((m): m is string => !!m && (m.startsWith(base + '/') || netnsDirs.some((d) => m.startsWith(`${d}cni-`))));
    if (mounts.length === 0) break;
    for (const m of [...new Set(mounts)].sort((a, b) => b.length - a.length)) {
      const r = await run('umount', [m]);
      if (r.code !== 0) await run('umount', ['-l', m]);
    }
  }
  for (const d of netnsDirs) {
    try { for (const e of readdirSync(d)) if (e.startsWith('cni-')) rmSync(join(d, e), { force: true }); } catch { /* none */ }
  }
}

/** Remove the iptables rules and chains whose names start with one of `prefixes` (both IP families, all tables). */
export async function removeChains(prefixes: string[]): Promise<void> {
  for (const bin of ['iptables', 'ip6tables']) {
    for (const table of ['nat', 'filter', 'mangle']) {
      const s = await run(bin, ['-w', '-t', table, '-S']);
      if (s.code !== 0) continue;
      const lines = s.stdout.split('\n');
      const ours = (c: string) => prefixes.some((p) => c.startsWith(p));
      // Rules in built-in (or foreign) chains that jump to our chains.
      for (const l of lines) {
        const m = /^-A (\S+) (.*)$/.exec(l);
        if (!m || ours(m[1]!)) continue;
        const jump = /-j (\S+)/.exec(m[2]!)?.[1];
        if (jump && ours(jump)) await run(bin, ['-w', '-t', table, '-D', m[1]!, ...splitArgs(m[2]!)]);
      }
      const chains = lines.map((l) => /^-N (\S+)/.exec(l)?.[1]).filter((c): c is string => !!c && ours(c));
      for (const c of chains) await run(bin, ['-w', '-t', table, '-F', c]);
      for (const c of chains) await run(bin, ['-w', '-t', table, '-X', c]);
    }
  }
}

/** Split an iptables -S rule back into arguments (quotes as iptables prints them). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2]!);
  return out;
}

export async function removeBridge(): Promise<void> {
  if (existsSync(`/sys/class/net/${BRIDGE}`)) await run('ip', ['link', 'delete', BRIDGE]);
}
