// i-h2 reset: the program in the lab's working folder (klab reset then deletes the labelled lab namespace, with the
// trainee's template and workflows in it).
import type { LabRuntime } from '../_engine/runtime.js';
import { removeProgram } from './shared.js';

export default async function reset(_rt: LabRuntime): Promise<void> {
  removeProgram();
}
