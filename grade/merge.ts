// Reading signed result files and putting shards together: every input is verified first; a trainee in two shards
// or a lab whose maximum differs between shards is an input error, never silently resolved.
import { readFileSync } from 'node:fs';
import { schemaValidator } from './schema.js';
import { KlabError, ExitCode } from '../i18n/index.js';
import { gmsg } from './messages.js';
import { verify, type Key } from './sign.js';
import { newDoc } from './grade.js';
import { GRADE_SCHEMA, GRADE_SCHEMA_VERSION, type GradeDoc, type LabInfo, type TraineeResult } from './types.js';

/** Parse a result file (exit 2 when it is not one). Does not verify. */
export function readGradeFile(file: string): GradeDoc {
  let doc: GradeDoc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as GradeDoc;
  } catch (e) {
    throw new KlabError(gmsg('verify.notGrade', { file, detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0] }), ExitCode.usage);
  }
  if (!doc || doc.schema !== GRADE_SCHEMA) throw new KlabError(gmsg('verify.notGrade', { file, detail: `schema ${JSON.stringify(doc?.schema)}` }), ExitCode.usage);
  if (doc.schemaVersion !== GRADE_SCHEMA_VERSION) throw new KlabError(gmsg('verify.notGrade', { file, detail: `schemaVersion ${doc.schemaVersion}` }), ExitCode.usage);
  return doc;
}

const validate = schemaValidator('result.schema.json');
/** The first way `doc` breaks grade/result.schema.json, or undefined. */
export async function schemaProblem(doc: unknown): Promise<string | undefined> {
  const e = (await validate(doc))[0];
  return e ? `${e.instancePath || '/'} ${e.message ?? e.keyword}`.trim() : undefined;
}

/** Read and verify, then check the shape; a bad signature is exit 1 (the file cannot be trusted), with the reason. */
export async function readVerified(file: string, key: Key): Promise<GradeDoc> {
  const doc = readGradeFile(file);
  const v = verify(doc, key);
  if (!v.ok) {
    const text = v.reason === 'otherKey' ? gmsg('verify.otherKey', { file, keyId: doc.signature?.keyId, mine: key.id })
      : gmsg(v.reason === 'unsigned' ? 'verify.unsigned' : 'verify.tampered', { file });
    throw new KlabError(text, ExitCode.checksFailed);
  }
  const problem = await schemaProblem(doc);
  if (problem) throw new KlabError(gmsg('verify.notGrade', { file, detail: problem }), ExitCode.usage);
  return doc;
}

export function merge(shards: { file: string; doc: GradeDoc }[]): GradeDoc {
  const labs = new Map<string, { info: LabInfo; file: string }>();
  const trainees = new Map<string, { t: TraineeResult; file: string }>();
  for (const { file, doc } of shards) {
    for (const l of doc.labs) {
      const seen = labs.get(l.id);
      if (seen && seen.info.maxScore !== l.maxScore) throw new KlabError(gmsg('merge.labMax', { lab: l.id, a: seen.file, x: seen.info.maxScore, b: file, y: l.maxScore }), ExitCode.usage);
      if (!seen) labs.set(l.id, { info: l, file });
    }
    for (const t of doc.trainees) {
      const seen = trainees.get(t.id);
      if (seen) throw new KlabError(gmsg('merge.duplicate', { id: t.id, a: seen.file, b: file }), ExitCode.usage);
      trainees.set(t.id, { t, file });
    }
  }
  const sorted = [...trainees.values()].map((x) => x.t).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return newDoc('merge', [...labs.values()].map((x) => x.info), sorted, shards[0]?.doc.klabVersion);
}
