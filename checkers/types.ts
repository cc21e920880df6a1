// The check model. A check never changes the cluster; it observes and explains.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Lang, Text } from '../i18n/index.js';
import type { Capabilities, CapabilityName } from '../cluster/provider.js';

export type Status = 'pass' | 'fail' | 'skip' | 'error';

/** One piece of evidence gathered on failure only: events, log tail, a differing field. */
export interface Evidence {
  kind: 'events' | 'logs' | 'field' | 'scheduler' | 'note';
  title: Text;
  lines: string[];
}

export interface ProbeResult {
  ok: boolean;
  /** What was seen, machine-readable (goes to JSON reports). */
  observed?: unknown;
  /** Why it is not ok (the diagnosis), or what was verified when ok. */
  reasons: Text[];
  /** What to try (kept apart from the diagnosis in `reasons`); shown after it. */
  hints?: Text[];
  /** Collected only when !ok. */
  evidence?: Evidence[];
  /** How the result was established: by looking inside the running container, or only from the spec. */
  verifiedBy?: 'cluster' | 'spec';
  /** Set when the probe found it cannot judge on this cluster (e.g. a capability is missing): the runner reports `skip` with this reason. */
  skip?: Text;
  /**
   * true: nothing in the cluster will change what was observed without the trainee acting (object absent, crash
   * loop, workflow finished, answer given…) — a failing observation is final and the runner stops waiting.
   * Absent or false: the state may still be moving; the runner keeps polling until the check's timeout. A probe that
   * cannot tell leaves it unset (see checkers/settle.ts).
   */
  settled?: boolean;
  /** What is still moving, shown while waiting and in the timeout message ("the rollout of web: 1/2 new pods ready"). */
  waitingFor?: Text;
}

export interface CheckContext {
  kc: KubeConfig;
  lang: Lang;
  /** The lab's default namespace (params may hold others). */
  namespace: string;
  /** Values derived from the seed (tokens, names). */
  params: Record<string, string>;
  capabilities: Capabilities;
  /** Answers the trainee gave (klab answer / guided prompt), by question id. */
  answers: Record<string, string>;
  /** Aborted when the runner gives up on the probe. */
  signal: AbortSignal;
}

export interface Check {
  id: string;
  title: Text;
  points: number;
  /** A failed required check fails the lab and skips its dependants. Default true. */
  required?: boolean;
  requires?: string[];
  /** Capabilities this check needs; missing ones make it `skip` with a reason. */
  needs?: CapabilityName[];
  /** Milliseconds the runner keeps polling before it reports the last observation. */
  timeout?: number;
  hint?: Text;
  /** Step number (1-based) this check belongs to, for per-step subtotals and `--step`. */
  step?: number;
  probe(ctx: CheckContext): Promise<ProbeResult>;
}

export interface CheckResult {
  id: string;
  title: Text;
  step?: number;
  status: Status;
  points: number;
  maxPoints: number;
  required: boolean;
  message: Text;
  hint?: Text;
  evidence: Evidence[];
  observed?: unknown;
  verifiedBy?: 'cluster' | 'spec';
  durationMs: number;
  /** A fail reported at the timeout while the state was still moving (not a settled fail). */
  timedOut?: boolean;
}

export interface RunResult {
  lab: string;
  seed: string;
  passed: boolean;
  score: number;
  maxScore: number;
  steps: { step: number; score: number; maxScore: number }[];
  checks: CheckResult[];
  /** True when the cluster could not be reached at all: every check is `error` (exit code 3). */
  unreachable?: boolean;
}

/** Thrown by probes (or by the client) when klab or the cluster failed — never the trainee's fault. */
export class CheckError extends Error {
  constructor(public readonly text: Text, public readonly unreachable = false) {
    super(text.en);
    this.name = 'CheckError';
  }
}
