// i-h1 starting state: the lab namespace, and the trainee's working folder ({workdir}: KLAB_WORK or ~/klab, then
// i-h1) with the sample Django app and its Dockerfile, made a git repository (step 4 asks git what it ignores).
// Nothing the trainee has there is overwritten: setup only adds what is missing. Where klab's own image build keeps
// the Django wheels (the local provider: no PyPI), they are copied into wheels/, which the Dockerfile then uses.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabRuntime } from '../_engine/runtime.js';
import { fillWorkdir } from './shared.js';

export default async function setup(rt: LabRuntime): Promise<void> {
  await rt.ensureNamespace();
  const dir = rt.params.workdir;
  let wheels: string | undefined;
  try { wheels = (await import('../../cluster/images/build.js')).djangoWheelsDir(); } catch { wheels = undefined; }
  const created = fillWorkdir(dir, wheels);
  if (!existsSync(join(dir, '.git'))) {
    const g = await rt.run('git', ['init', '-q', dir], { quiet: true, allowFail: true });
    if (g.exitCode !== 0) rt.log({ ko: 'git 이 없어 작업 폴더를 git 저장소로 만들지 못했습니다 (4단계의 확인은 건너뜁니다).', en: 'No git: the working folder is not a git repository (step 4\'s check will be skipped).' });
  }
  rt.log(created.length
    ? { ko: `작업 폴더: ${dir} (만든 것: ${created.join(', ')})`, en: `Working folder: ${dir} (created: ${created.join(', ')})` }
    : { ko: `작업 폴더: ${dir} (이미 있는 파일은 그대로 둡니다)`, en: `Working folder: ${dir} (files already there are left as they are)` });
  rt.log({ ko: `레지스트리: ${rt.params.registry ?? '(KLAB_REGISTRY 를 지정하세요)'} — 이미지: ${rt.params.image}`, en: `Registry: ${rt.params.registry ?? '(set KLAB_REGISTRY)'} — image: ${rt.params.image}` });
}
