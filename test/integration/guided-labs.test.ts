// Every lab in labs/, with no per-lab code, as a trainee in a real terminal (tmux) with a second terminal:
//  - guided `klab start`: "Show the solution" at step 1 shows step 1's commands and none that only a later step has;
//  - from the second terminal, each step's checks (`klab check <lab> --step N`) run without `error` after setup;
//  - the work and the answers done from the second terminal (`klab solve`) are seen by the guided checks, step by
//    step, until "All steps done" (a step that cannot pass on this cluster only because of a capability is skipped);
//  - `klab start` again resumes at the end without an error and without changing or deleting anything in the lab
//    namespace (the solution stands in for the trainee's work); then every step passes (a check may be skipped only
//    because the cluster lacks a capability, never because something it requires failed);
//  - without progress but with the namespace there, start keeps everything too.
// (One flow per lab: each lab is started, solved and reset once here.)
import { suite } from 'uvu';
import { sharedLabs } from './_labs.js';
import { registerGuided } from './_generic.js';

const t = suite('every lab: the guided flow (pty), per-step checks, solve, resume keeps the work');
registerGuided(t, sharedLabs());
t.run();
