// hello starts from an empty cluster: setup only makes sure nothing of a previous attempt is left.
import type { LabRuntime } from '../_engine/runtime.js';

export default async function setup(rt: LabRuntime): Promise<void> {
  rt.log({ ko: `만들 네임스페이스: ${rt.namespace}`, en: `Namespace to create: ${rt.namespace}` });
}
