// Reading a YAML input file against a JSON Schema, with every problem reported as `file:line: message` in Korean and
// English (exit 2): lab.yaml (labs/_engine/load.ts), cluster/nodegroups.yaml (cluster/nodegroups.ts) and, after
// this, any other file a user writes by hand. The caller gets the data and a `lineOf` for the rules the schema cannot say.
import { fileProblemsError, msg, schemaMessage, type FileProblem, type SchemaError } from './messages.js';
import type { Text } from './index.js';

export interface YamlFile<T> {
  data: T;
  /** The line of a JSON pointer (`/groups/0/name`) in the file; 1 when it is not there. */
  lineOf: (pointer: string) => number;
}

/**
 * Parse `src` (named `file` in messages) and validate it with `validate`. YAML syntax errors, then schema errors
 * (one per line and message: Ajv reports some twice), are thrown as one KlabError.
 */
export async function parseYamlFile<T>(src: string, file: string, validate: (data: unknown) => SchemaError[] | Promise<SchemaError[]>, notMapping?: Text): Promise<YamlFile<T>> {
  const { LineCounter, parseDocument } = await import('yaml');
  // lineOfPointer and yamlProblem live with `klab assert` (checkers/assert.ts), which reports check files the same way.
  const { lineOfPointer, yamlProblem } = await import('../checkers/assert.js');
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw fileProblemsError(doc.errors.map((e) => ({ file, line: lc.linePos(e.pos[0]).line, message: yamlProblem(e) })));
  }
  let data: T;
  // An alias bomb (a few lines that expand to millions of nodes): the yaml package stops it; say what it is.
  try { data = doc.toJS() as T; } catch (e) {
    throw fileProblemsError([{ file, line: 1, message: msg('yaml.aliases', { detail: (e as Error).message }) }]);
  }
  if (notMapping && (!data || typeof data !== 'object' || Array.isArray(data))) throw fileProblemsError([{ file, line: 1, message: notMapping }]);
  const lineOf = (pointer: string) => lineOfPointer(doc, pointer, lc) ?? 1;
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  for (const e of await validate(data)) {
    const { text, key } = schemaMessage(e);
    const line = lineOf(key === undefined ? e.instancePath : `${e.instancePath}/${key}`);
    if (seen.has(`${line}|${text.en}`)) continue;
    seen.add(`${line}|${text.en}`);
    problems.push({ file, line, message: text });
  }
  if (problems.length) throw fileProblemsError(problems);
  return { data, lineOf };
}

/** A JSON pointer segment for a key that may hold `/` or `~` (label keys such as eks.amazonaws.com/nodegroup). */
export const pointerSegment = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
