// Every lab proven the other way (issue 14), for every lab that shares the cluster with others: see _generic.ts.
// A new lab is covered by adding files to labs/<lab>/alternatives/, not test code.
import { suite } from 'uvu';
import { sharedLabs } from './_labs.js';
import { registerAlternatives } from './_generic.js';

const t = suite('lab alternatives: correct solutions that differ from the reference score full');
registerAlternatives(t, sharedLabs());
t.run();
