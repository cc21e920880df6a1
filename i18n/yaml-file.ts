// Reading a YAML input file against a JSON Schema, with every problem reported as `file:line: message` in Korean and
// English (exit 2): lab.yaml (labs/_engine/load.ts), cluster/nodegroups.yaml (cluster/nodegroups.ts) and, after
// this, any other file a user writes by hand. The caller gets the data and a `lineOf` for the rules the schema cannot say.
import { fileProblemsError, msg, schemaMessage, type FileProblem, type SchemaError } from './messages.js';

export interface YamlFile<T> {
  data: T;
  /** The line of a JSON pointer (`/groups/0/name`) in the file; 1 when it is not there. */
  lineOf: (pointer: string) => number;
}

/**
 * Parse `src` (named `file` in messages) and validate it with `validate`. YAML syntax errors, then schema errors
 * (one per line and message: Ajv reports some twice), are thrown as one KlabError.
 */
export async function parseYamlFile<T>(src: string, file: string, validate: (data: unknown) => SchemaError[] | Promise<SchemaError[]>): Promise<YamlFile<T>> {
  const { LineCounter, parseDocument } = await import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw fileProblemsError(doc.errors.map((e) => ({ file, line: lc.linePos(e.pos[0]).line, message: msg('lab.yamlSyntax', { detail: e.message.split('\n')[0] }) })));
  }
  const data = doc.toJS() as T;
  // lineOfPointer lives with `klab assert` (checkers/assert.ts), which reports check files the same way.
  const { lineOfPointer } = await import('../checkers/assert.js');
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
