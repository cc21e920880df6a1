// Everything the kind provider brings in is pinned: versions, digests where known, checksum fields present
// (null only with a note saying why), and the pins agree with each other.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { argo, kindNodeImage, kindVersion, kubernetesMinor, localKubernetesVersion, pins, registry, traefik } from '../../cluster/addons.js';
import { traefikManifests } from '../../cluster/kind/traefik.js';
import { validatorSourceDir } from '../../cluster/kind/validator.js';

const semver = /^v?\d+\.\d+\.\d+$/;

test('versions are exact (no latest, no ranges)', () => {
  for (const v of [kindVersion, localKubernetesVersion, kindNodeImage.version, registry.image.version, traefik.image.version, argo.download.version]) assert.match(v, semver);
  for (const ref of [kindNodeImage.ref, registry.image.ref, traefik.image.ref]) {
    assert.not.match(ref, /:latest\b/);
    assert.match(ref, /:[vV]?\d+\.\d+\.\d+/);
  }
});

test('node image: pinned by digest, same Kubernetes minor as the local provider', () => {
  assert.match(kindNodeImage.digest!, /^sha256:[0-9a-f]{64}$/);
  assert.ok(kindNodeImage.ref.endsWith('@' + kindNodeImage.digest));
  assert.ok(kindNodeImage.version.startsWith(`v${kubernetesMinor}.`));
  assert.ok(localKubernetesVersion.startsWith(`v${kubernetesMinor}.`));
  assert.ok(kindNodeImage.source.length > 10, 'says where the digest comes from');
});

test('Argo: pinned release manifest v4.0.5; checksum field present (null only with a reason)', () => {
  assert.is(argo.download.version, 'v4.0.5');
  assert.ok(argo.download.url.includes('/v4.0.5/'));
  assert.ok('sha256' in argo.download);
  if (argo.download.sha256 === null) assert.ok((argo.download.checksumNote ?? '').length > 20, 'null checksum explains itself');
  else assert.match(argo.download.sha256, /^[0-9a-f]{64}$/);
  assert.is(argo.nodeGroup, 'PROTO-INFERENCE-NG');
});

test('images without a digest say why', () => {
  for (const img of [registry.image, traefik.image]) {
    if (img.digest === null) assert.ok((img.note ?? '').length > 10);
    else assert.match(img.digest, /^sha256:[0-9a-f]{64}$/);
  }
});

test('kind version = the sigs.k8s.io/kind version the validator is built from', () => {
  const mod = readFileSync(`${validatorSourceDir()}/go.mod`, 'utf8');
  assert.match(mod, new RegExp(`sigs\\.k8s\\.io/kind ${kindVersion.replace(/\./g, '\\.')}\\b`));
  const sum = readFileSync(`${validatorSourceDir()}/go.sum`, 'utf8');
  assert.match(sum, new RegExp(`sigs\\.k8s\\.io/kind ${kindVersion.replace(/\./g, '\\.')} h1:`), 'go.sum pins the module checksum');
});

test('Traefik manifest uses the pinned image and runs where the host ports are', () => {
  const objs = traefikManifests() as any[];
  const dep = objs.find((o) => o.kind === 'Deployment');
  assert.is(dep.spec.template.spec.containers[0].image, traefik.image.ref);
  assert.is(dep.spec.template.spec.nodeSelector['ingress-ready'], 'true');
  const ports = dep.spec.template.spec.containers[0].ports;
  assert.ok(ports.some((p: any) => p.hostPort === 80) && ports.some((p: any) => p.hostPort === 443));
  assert.ok(objs.some((o) => o.kind === 'IngressClass' && o.metadata.name === traefik.ingressClass));
  assert.ok(!JSON.stringify(objs).includes('ingress-nginx'));
});

test('pins() lists every pin with no empty field', () => {
  const walk = (v: unknown, p: string) => {
    if (v === '' || v === undefined) assert.unreachable(`${p} is empty`);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (x !== null) walk(x, `${p}.${k}`);
  };
  walk(pins(), 'pins');
});

test.run();
