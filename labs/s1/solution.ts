// The reference solution of s1, as a trainee would type it: `kubectl expose` for the Services, a MetalLB pool and
// L2Advertisement for the LoadBalancer (YAML in {workdir}), `kubectl create ingress`
// for the Ingresses (no class: the cluster's default IngressClass — Traefik on local and kind), openssl for the
// self-signed certificate (in {workdir}), a Traefik Middleware for the rate limit attached by annotation, and a Gateway
// with two HTTPRoutes (YAML files in {workdir}, applied with kubectl). The port-forward of step 1 is the trainee's way to read the code; the
// solution gives the same answer (the `answers` export) without holding a port open.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabRuntime, SolutionAnswers } from '../_engine/runtime.js';

/** The trainee's MetalLB pool (one address, this namespace only) and its L2Advertisement, as the step text gives them. */
export const lbPool = (p: Record<string, string>) => [
  'apiVersion: metallb.io/v1beta1', 'kind: IPAddressPool',
  `metadata: { name: ${p.namespace}, namespace: metallb-system }`,
  `spec: { addresses: ["${p.lbaddr}/32"], serviceAllocation: { namespaces: [${p.namespace}] } }`,
  '---', 'apiVersion: metallb.io/v1beta1', 'kind: L2Advertisement',
  `metadata: { name: ${p.namespace}, namespace: metallb-system }`,
  `spec: { ipAddressPools: [${p.namespace}] }`,
].join('\n');

/** Step ratelimit: the Middleware (5 requests per second on average, bursts of 10), as a trainee writes it. */
export const middlewareYaml = () => [
  'apiVersion: traefik.io/v1alpha1',
  'kind: Middleware',
  'metadata:',
  '  name: ratelimit',
  'spec:',
  '  rateLimit:',
  '    average: 5',
  '    burst: 10',
].join('\n');

/** Step gateway: a Gateway on port 80 of klab's GatewayClass, and one HTTPRoute per host (as step hosts' Ingress rules). */
export const gatewayYaml = (p: Record<string, string>) => [
  'apiVersion: gateway.networking.k8s.io/v1',
  'kind: Gateway',
  'metadata:',
  '  name: web',
  'spec:',
  '  gatewayClassName: traefik',
  '  listeners:',
  '    - name: http',
  '      protocol: HTTP',
  '      port: 80',
  ...[['user', p.gwuser!], ['payment', p.gwpay!]].flatMap(([app, host]) => [
    '---',
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata:',
    `  name: ${app}`,
    'spec:',
    '  parentRefs:',
    '    - name: web',
    `  hostnames: ["${host}"]`,
    '  rules:',
    '    - backendRefs:',
    `        - name: ${app}`,
    '          port: 80',
  ]),
].join('\n');

const tlsPatch = (p: Record<string, string>) => JSON.stringify({ spec: { tls: [{ hosts: [p.userhost, p.payhost], secretName: 'accounts-tls' }] } });

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => {
  const n = `-n ${p.namespace}`;
  return {
    clusterip: [
      `kubectl ${n} expose deployment music --port=80 --target-port=http`,
      `kubectl ${n} expose deployment photo --port=80 --target-port=http`,
      `kubectl ${n} port-forward service/music 8080:80 &   # then:`,
      'curl -s http://127.0.0.1:8080/',
      `klab answer s1 music-code ${p.code}`,
    ],
    nodeport: [
      `kubectl ${n} expose deployment music --name=music-nodeport --type=NodePort --port=80 --target-port=http`,
      `kubectl ${n} get service music-nodeport   # PORT(S) 80:3xxxx`,
      'kubectl get nodes -o wide   # INTERNAL-IP; then: curl http://<INTERNAL-IP>:3xxxx/',
    ],
    loadbalancer: [
      `kubectl ${n} expose deployment photo --name=photo-lb --type=LoadBalancer --port=80 --target-port=http`,
      `kubectl ${n} get service photo-lb   # EXTERNAL-IP <pending>`,
      "klab answer s1 lb-pending '<pending>'",
      `kubectl apply -f - <<'YAML'\n${lbPool(p)}\nYAML`,
      `kubectl ${n} get service photo-lb   # EXTERNAL-IP ${p.lbaddr}`,
      `curl -s http://${p.lbaddr}/`,
    ],
    paths: [
      `kubectl ${n} create ingress media --rule='${p.media}/music*=music:80' --rule='${p.media}/photo*=photo:80'`,
      `kubectl ${n} get ingress media   # ADDRESS`,
      `curl -s -H 'Host: ${p.media}' http://<ADDRESS>/music/songs`,
    ],
    hosts: [
      `kubectl ${n} create ingress accounts --rule='${p.userhost}/*=user:80' --rule='${p.payhost}/*=payment:80'`,
      `curl -s -H 'Host: ${p.payhost}' http://<ADDRESS>/`,
    ],
    tls: [
      `cd ${p.workdir} && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout tls.key -out tls.crt -subj '/CN=${p.userhost}' -addext 'subjectAltName=DNS:${p.userhost},DNS:${p.payhost}'`,
      `kubectl ${n} create secret tls accounts-tls --cert=${p.workdir}/tls.crt --key=${p.workdir}/tls.key`,
      `kubectl ${n} patch ingress accounts --type=merge -p '${tlsPatch(p)}'`,
      `curl -sk --resolve ${p.userhost}:443:<ADDRESS> https://${p.userhost}/`,
    ],
    ratelimit: [
      `cat <<'YAML' | kubectl ${n} apply -f -\n${middlewareYaml()}\nYAML`,
      `kubectl ${n} create ingress api --rule='${p.apihost}/*=payment:80' --annotation=traefik.ingress.kubernetes.io/router.middlewares=${p.namespace}-ratelimit@kubernetescrd`,
      `for i in $(seq 30); do curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: ${p.apihost}' http://<ADDRESS>/ & done | sort | uniq -c   # 200 and 429`,
    ],
    gateway: [
      `cat <<'YAML' | kubectl ${n} apply -f -\n${gatewayYaml(p)}\nYAML`,
      `kubectl ${n} get gateway web   # ADDRESS, PROGRAMMED`,
      `kubectl ${n} get httproute   # then: kubectl ${n} describe httproute user (Status: Accepted, ResolvedRefs)`,
      `curl -s -H 'Host: ${p.gwuser}' http://<ADDRESS>/`,
    ],
  };
};

export const answers: SolutionAnswers = (p) => ({ 'music-code': p.code!, 'lb-pending': '<pending>' });

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const c = commands({ ...p, namespace: rt.namespace });
  const k = (...a: string[]) => rt.kubectl('-n', rt.namespace, ...a);
  await k('expose', 'deployment', 'music', '--port=80', '--target-port=http');
  await k('expose', 'deployment', 'photo', '--port=80', '--target-port=http');
  await k('expose', 'deployment', 'music', '--name=music-nodeport', '--type=NodePort', '--port=80', '--target-port=http');
  await k('expose', 'deployment', 'photo', '--name=photo-lb', '--type=LoadBalancer', '--port=80', '--target-port=http');
  // No block advertised (EKS: the cloud gives the address, no pool) — never a pool with a made-up address, which
  // MetalLB would refuse along with every other trainee's change.
  if (!p.lbaddr) {
    rt.log({ ko: '이 클러스터는 LoadBalancer 주소 대역을 알리지 않습니다 (MetalLB 없음): 풀은 만들지 않습니다.', en: 'This cluster advertises no LoadBalancer address block (no MetalLB): no pool is made.' });
  } else {
    mkdirSync(p.workdir!, { recursive: true });
    writeFileSync(join(p.workdir!, 'lb-pool.yaml'), lbPool({ ...p, namespace: rt.namespace }));
    await rt.kubectl('apply', '-f', join(p.workdir!, 'lb-pool.yaml'));
  }
  await k('create', 'ingress', 'media', `--rule=${p.media}/music*=music:80`, `--rule=${p.media}/photo*=photo:80`);
  await k('create', 'ingress', 'accounts', `--rule=${p.userhost}/*=user:80`, `--rule=${p.payhost}/*=payment:80`);
  await rt.run('bash', ['-c', `mkdir -p ${p.workdir} && ${c.tls[0]}`]);
  await k('create', 'secret', 'tls', 'accounts-tls', `--cert=${p.workdir}/tls.crt`, `--key=${p.workdir}/tls.key`);
  await k('patch', 'ingress', 'accounts', '--type=merge', '-p', tlsPatch(p));
  writeFileSync(`${p.workdir}/ratelimit.yaml`, middlewareYaml() + '\n');
  await k('apply', '-f', `${p.workdir}/ratelimit.yaml`);
  await k('create', 'ingress', 'api', `--rule=${p.apihost}/*=payment:80`, `--annotation=traefik.ingress.kubernetes.io/router.middlewares=${rt.namespace}-ratelimit@kubernetescrd`);
  writeFileSync(`${p.workdir}/gateway.yaml`, gatewayYaml(p) + '\n');
  await k('apply', '-f', `${p.workdir}/gateway.yaml`);
  await k('wait', '--for=condition=Available', 'deployment', '--all', '--timeout=120s');
}
