// The grade result document (schema version 1, documented in docs/grading.*.md). Texts stay bilingual ({ko, en}) so
// every output (HTML gradebook with its ko/en toggle included) is made from one signed file.
import type { Text } from '../i18n/index.js';
import type { CheckResult } from '../checkers/types.js';

export const GRADE_SCHEMA = 'klab-grade';
export const GRADE_SCHEMA_VERSION = 1;

/** One check as the lab's runner reported it, plus whether its points count (false: not the trainee's doing). */
export interface GradedCheck extends CheckResult {
  /** false for `error`, and for a `skip` that no failed check of the trainee caused (cluster capability, errored dependency). */
  counted: boolean;
}

/** One lab for one trainee. `graded`: every check judged; `partial`: some checks could not be judged; `error`: none. */
export interface GradedLab {
  lab: string;
  seed: string;
  namespace: string;
  status: 'graded' | 'partial' | 'error';
  score: number;
  maxScore: number;
  /** Points of checks that could not be judged (never the trainee's loss). */
  ungradedPoints: number;
  passed: boolean;
  unreachable: boolean;
  checks: GradedCheck[];
  /** Submission grading only: the folder, the grading namespace (deleted), and whether the submission was flagged. */
  submission?: { folder: string; namespace: string; flagged: boolean; violations: string[]; interrupted?: boolean; registry?: { value: string; from: 'KLAB_REGISTRY' | 'cluster' | 'submission' } };
}

export interface TraineeResult {
  id: string;
  name: string;
  seed: string;
  context: string;
  /** `error`: the trainee could not be graded (unreachable cluster, timeout, grader failure); the score is not a grade. */
  status: 'graded' | 'partial' | 'error';
  error?: Text;
  /** Submission grading: a lab's submission did something a correct one never does (refused by Kubernetes' policies). */
  flagged?: boolean;
  score: number;
  maxScore: number;
  ungradedPoints: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  klabVersion: string;
  labs: GradedLab[];
}

export interface LabInfo { id: string; title: Text; maxScore: number }

export interface Signature { alg: 'HMAC-SHA256'; keyId: string; value: string }

export interface GradeDoc {
  schema: typeof GRADE_SCHEMA;
  schemaVersion: typeof GRADE_SCHEMA_VERSION;
  klabVersion: string;
  createdAt: string;
  /** 'live' (one trainee), 'roster', 'submission' (one submitted folder), or 'merge' (shards put together). */
  mode: 'live' | 'roster' | 'submission' | 'merge';
  /** Grading was interrupted (Ctrl+C): trainees not reached are `error`; the results are partial. */
  interrupted?: boolean;
  labs: LabInfo[];
  trainees: TraineeResult[];
  signature?: Signature;
}
