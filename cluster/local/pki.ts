// The local cluster's PKI, generated fresh on every `up` with openssl (Node's crypto cannot issue certificates):
// a CA, the API server's serving certificate, client certificates for each component and the admin, and the
// service-account signing key pair. Written to <state>/pki/ (ca.crt, ca.key, admin.crt, admin.key, ...).
import { execFile } from 'node:child_process';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { KlabError, ExitCode } from '../../i18n/index.js';

const execFileP = promisify(execFile);
const generateKeyPairP = (type: 'rsa', o: { modulusLength: number }) => new Promise<{ privateKey: import('node:crypto').KeyObject; publicKey: import('node:crypto').KeyObject }>((res, rej) =>
  generateKeyPair(type, o, (err, publicKey, privateKey) => (err ? rej(err) : res({ publicKey, privateKey }))));

export interface ClientCert { name: string; cn: string; org?: string }

/** Client identities: file name, CN (user), O (group). */
export const clientCerts: ClientCert[] = [
  { name: 'admin', cn: 'kubernetes-admin', org: 'system:masters' },
  { name: 'controller-manager', cn: 'system:kube-controller-manager' },
  { name: 'scheduler', cn: 'system:kube-scheduler' },
  { name: 'apiserver-kubelet-client', cn: 'kube-apiserver-kubelet-client', org: 'system:masters' },
  { name: 'kwok', cn: 'kwok-controller', org: 'system:masters' },
  { name: 'workflow-controller', cn: 'argo-workflow-controller', org: 'system:masters' },
  // Traefik (cluster/local/traefik.ts): only the RBAC of klab's Traefik ClusterRole, bound to this user.
  { name: 'traefik', cn: 'klab-traefik' },
];

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileP('openssl', args, { cwd });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new KlabError({
        ko: 'openssl 을 찾을 수 없습니다. local 클러스터의 인증서를 만들려면 openssl 이 필요합니다 (Debian/Ubuntu: apt-get install openssl).',
        en: 'openssl was not found. The local cluster needs it to create its certificates (Debian/Ubuntu: apt-get install openssl).',
      }, ExitCode.unreachable);
    }
    throw new KlabError({ ko: '인증서 생성에 실패했습니다 (openssl).', en: 'Creating certificates failed (openssl).' }, ExitCode.unreachable, err.stderr ?? err.message);
  }
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function issue(dir: string, name: string, subj: string, ext: string[], days = 365): Promise<void> {
  await openssl(['req', '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-out', `${name}.crt`,
    '-days', String(days), '-sha256', '-extfile', `${name}.ext`], dir);
  rmSync(join(dir, `${name}.csr`));
  rmSync(join(dir, `${name}.ext`));
}

export interface PkiOptions { dir: string; hostIP: string; serviceIP: string; dnsDomain?: string }

/** Create the whole PKI (replaces whatever was in `dir`). */
export async function createPki(o: PkiOptions): Promise<void> {
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const domain = o.dnsDomain ?? 'cluster.local';
  await openssl(['req', '-x509', '-new', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-sha256', '-subj', '/CN=klab-local-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], o.dir);
  const ips = [...new Set(['127.0.0.1', o.hostIP, o.serviceIP])];
  const dns = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`, 'localhost', hostname()];
  const san = [...dns.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)].join(',');
  const serverExt = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', `subjectAltName=${san}`];
  const clientExt = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth'];
  // Service-account token signing key pair (in a worker thread while openssl runs).
  const sa = generateKeyPairP('rsa', { modulusLength: 2048 });
  await Promise.all([
    issue(o.dir, 'apiserver', '/CN=kube-apiserver', serverExt),
    // kwok's kubelet-like endpoint for simulated nodes (logs/exec there fail fast instead of hanging).
    issue(o.dir, 'kwok-server', '/CN=kwok-server', serverExt),
    ...clientCerts.map((c) => issue(o.dir, c.name, `${c.org ? `/O=${c.org}` : ''}/CN=${c.cn}`, clientExt)),
  ]);
  const { privateKey, publicKey } = await sa;
  writeFileSync(join(o.dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(o.dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
}

/** A kubeconfig with embedded certificates for one client identity. */
export function kubeconfigYaml(pkiDir: string, server: string, user: string, context: string, cluster = 'klab-local'): string {
  const b64 = (f: string) => readFileSync(join(pkiDir, f)).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server, 'certificate-authority-data': b64('ca.crt') } }],
    users: [{ name: `${cluster}-${user}`, user: { 'client-certificate-data': b64(`${user}.crt`), 'client-key-data': b64(`${user}.key`) } }],
    contexts: [{ name: context, context: { cluster, user: `${cluster}-${user}` } }],
    'current-context': context,
    preferences: {},
  });
}
