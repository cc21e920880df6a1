// What i-h1's setup, solution and checks share: the working folder's starting files and the reference chart.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packagePath } from '../../cluster/paths.js';
import { substitute } from '../_engine/params.js';

/** The secret values file, relative to the chart folder (the chart interface the step text states). */
export const SECRET_VALUES = 'environments/values.secret.yaml';

/** Files the trainee starts with (the sample Django app and its Dockerfile) and the ignore files klab adds. */
export const APP_DIR = () => packagePath('cluster', 'images', 'django-app');
// .gitignore too: editing it (step 4) must not change the image, or the next build is a new image under the same tag.
const DOCKERIGNORE = ['# The chart (and its secret values, also in a chart.bak-* that klab solve set aside) and git do not belong in the image', 'chart*/', '.git/', '.gitignore', ''].join('\n');
const GITIGNORE = ['__pycache__/', 'wheels/', '*.sqlite3', ''].join('\n');

/**
 * Put the app into `dir`, creating only what is missing (never overwriting the trainee's files). Returns the paths
 * created, relative to `dir`. `wheels`: a folder of wheels to copy into wheels/ (no PyPI on the local provider).
 */
export function fillWorkdir(dir: string, wheels?: string): string[] {
  const created: string[] = [];
  mkdirSync(dir, { recursive: true });
  const copy = (src: string, dst: string) => {
    if (existsSync(dst)) return;
    cpSync(src, dst, { recursive: true, filter: (s) => !/__pycache__|\.pyc$/.test(s) });
    created.push(relative(dir, dst));
  };
  // The app's own .dockerignore (db.sqlite3, __pycache__ …) is merged with klab's, not copied: copied first, it kept
  // klab's rules out, and the chart (with its secret values) and .git went into the image, every chart edit making a
  // new image under the same tag (found by lab-i-h1's solve test: the pods kept the first digest).
  for (const f of readdirSync(APP_DIR())) if (f !== '.dockerignore') copy(join(APP_DIR(), f), join(dir, f));
  const write = (name: string, text: string) => { if (!existsSync(join(dir, name))) { writeFileSync(join(dir, name), text); created.push(name); } };
  const appIgnore = existsSync(join(APP_DIR(), '.dockerignore')) ? readFileSync(join(APP_DIR(), '.dockerignore'), 'utf8').trimEnd() + '\n' : '';
  write('.dockerignore', appIgnore + DOCKERIGNORE);
  write('.gitignore', GITIGNORE);
  if (wheels && existsSync(join(wheels, '.complete'))) {
    const dst = join(dir, 'wheels');
    if (!existsSync(dst)) {
      mkdirSync(dst);
      for (const f of readdirSync(wheels).filter((x) => x.endsWith('.whl'))) cpSync(join(wheels, f), join(dst, f));
      created.push('wheels/');
    }
  }
  return created;
}

/** The reference chart (labs/i-h1/chart) with the trainee's params filled in: file path → text. */
export function referenceChart(p: Record<string, string>): Map<string, string> {
  const root = packagePath('labs', 'i-h1', 'chart');
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const full = join(d, f);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(root, full), substitute(readFileSync(full, 'utf8'), p));
    }
  };
  walk(root);
  return out;
}

/** Write the reference chart into `dir` (files it has are replaced). */
export function writeChart(dir: string, p: Record<string, string>): void {
  for (const [rel, text] of referenceChart(p)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}
