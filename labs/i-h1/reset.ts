// i-h1 reset: the lab namespace goes (with the release records and the hook Job) through the generic reset. The
// working folder is the trainee's work and stays; klab says where it is, so a fresh attempt can move it away.
import type { LabRuntime } from '../_engine/runtime.js';
import { josa } from '../../i18n/index.js';

export default async function reset(rt: LabRuntime): Promise<void> {
  rt.log({ ko: `작업 폴더 ${rt.params.workdir}${josa(rt.params.workdir, '은/는')} 그대로 둡니다 (처음부터 다시 하려면 옮기거나 지우세요).`, en: `The working folder ${rt.params.workdir} is left as it is (move or delete it to start over).` });
}
