// Every lab proven the wrong way (issue 14), for every lab that shares the cluster with others: see _generic.ts.
// A new lab is covered by adding files to labs/<lab>/mistakes/, not test code.
import { suite } from 'uvu';
import { sharedLabs } from './_labs.js';
import { registerMistakes } from './_generic.js';

const t = suite('lab mistakes: exactly the named checks fail, with the named diagnoses');
registerMistakes(t, sharedLabs());
t.run();
