// Helm 3 release records, read without a helm binary. Helm's default storage driver keeps each revision in a
// Secret `sh.helm.release.v1.<name>.v<rev>` (type helm.sh/release.v1, labels owner=helm,name=<name>,version=<rev>)
// whose `release` key holds base64(gzip(JSON)) — and the Secret's data is base64 again on top of that.
import { gunzipSync } from 'node:zlib';

export interface HelmHook {
  name: string;
  kind: string;
  path?: string;
  manifest?: string;
  events?: string[];
  last_run?: { started_at?: string; completed_at?: string; phase?: string };
  weight?: number;
  delete_policies?: string[];
}

export interface HelmRelease {
  name: string;
  namespace: string;
  version: number;
  info: { status: string; description?: string; first_deployed?: string; last_deployed?: string; notes?: string };
  chart: { metadata: { name: string; version: string; appVersion?: string }; values?: Record<string, unknown> };
  config?: Record<string, unknown>;
  manifest?: string;
  hooks?: HelmHook[];
}

/** Decode Helm's own encoding (base64 of gzip of JSON; gzip optional, as Helm accepts both). */
export function decodeHelmPayload(helmB64: string): HelmRelease {
  const raw = Buffer.from(helmB64.trim(), 'base64');
  const json = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const rel = JSON.parse(json.toString('utf8')) as HelmRelease;
  if (!rel || typeof rel !== 'object' || typeof rel.name !== 'string' || !rel.info) throw new Error('not a Helm release record');
  return rel;
}

/** Decode the `release` key of a release Secret as the API returns it (`secret.data.release`, base64). */
export function decodeReleaseSecretData(k8sB64: string): HelmRelease {
  return decodeHelmPayload(Buffer.from(k8sB64, 'base64').toString('latin1'));
}

/** The objects a rendered manifest declares (kind, name, namespace, apiVersion), skipping empty documents. */
export interface ManifestObject { apiVersion: string; kind: string; name: string; namespace?: string; source?: string }

export async function manifestObjects(manifest: string): Promise<ManifestObject[]> {
  const { parseAllDocuments } = await import('yaml');
  const out: ManifestObject[] = [];
  for (const doc of parseAllDocuments(manifest ?? '')) {
    const o = doc.toJSON() as any;
    if (!o || typeof o !== 'object' || !o.kind) continue;
    out.push({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata?.name, namespace: o.metadata?.namespace });
  }
  // Helm prefixes each document with "# Source: chart/templates/x.yaml".
  const sources = [...(manifest ?? '').matchAll(/^# Source: (.+)$/gm)].map((m) => m[1]);
  if (sources.length === out.length) out.forEach((o, i) => { o.source = sources[i]; });
  return out;
}
