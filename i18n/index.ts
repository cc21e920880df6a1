// The shared language room: every user-facing string is a Text with Korean and English.
// Imported by every other room (see docs/decisions/0001-i18n-room.md).
export type Lang = 'ko' | 'en';
export interface Text { ko: string; en: string }

/** Korean when LC_ALL / LC_MESSAGES / LANG starts with "ko", English otherwise. */
export function detectLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return v.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

type Vars = Record<string, string | number | undefined>;

/**
 * Replace {name} placeholders in both languages. Unknown placeholders are left visible.
 * `{name:이/가}` (also 을/를, 은/는, 와/과) is the Korean particle that fits the filled value of `name` (see josa):
 * `'{id}'{id:이/가} 없습니다` → `'i-m1'이 없습니다`, `'hello'가 없습니다`.
 */
export function fill(text: Text, vars: Vars = {}): Text {
  const sub = (s: string) => s.replace(new RegExp(`\\{(\\w+)(?::(${JOSA_PATTERN}))?\\}`, 'g'), (m, k: string, pair?: JosaPair) =>
    (vars[k] === undefined ? m : pair ? josa(String(vars[k]), pair) : String(vars[k])));
  return { ko: sub(text.ko), en: sub(text.en) };
}

export type JosaPair = '이/가' | '을/를' | '은/는' | '와/과' | '으로/로';
const JOSA: Record<JosaPair, [afterConsonant: string, afterVowel: string]> = { '이/가': ['이', '가'], '을/를': ['을', '를'], '은/는': ['은', '는'], '와/과': ['과', '와'], '으로/로': ['으로', '로'] };
/** The particles `{x:…}` accepts in fill() and step texts (labs/_engine/params.ts substitute). */
export const JOSA_PATTERN = '이\\/가|을\\/를|은\\/는|와\\/과|으로\\/로';
// Korean readings: 영 일 이 삼 사 오 육 칠 팔 구 — and the letters whose name ends in a consonant: 엘 엠 엔 알.
const DIGIT_FINAL = [true, true, false, true, false, false, true, true, true, false];
const LETTER_FINAL = new Set(['l', 'm', 'n', 'r']);

/** Whether `word`, read aloud in Korean, ends in ㄹ: 하늘, 1 일, 7 칠, 8 팔, L 엘, R 알, model 모델. */
export function endsInRieul(word: string): boolean {
  const w = word.replace(/[^0-9A-Za-z\uac00-\ud7a3]+$/u, '');
  const last = w.at(-1);
  if (last === undefined) return false;
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28 === 8;
  if (/\d/.test(last)) return ['1', '7', '8'].includes(last);
  const run = /[A-Za-z]+$/.exec(w)![0];
  if (run.length === 1 || (run.length <= 4 && run === run.toUpperCase())) return ['l', 'r'].includes(last.toLowerCase());
  return /l+$/i.test(run);
}

/** Whether `word`, read aloud in Korean, ends in a consonant (받침). undefined when it cannot tell (no letter at all). */
export function endsInConsonant(word: string): boolean | undefined {
  const w = word.replace(/[^0-9A-Za-z\uac00-\ud7a3]+$/u, '');
  const last = w.at(-1);
  if (last === undefined) return undefined;
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28 !== 0;
  if (/\d/.test(last)) return DIGIT_FINAL[Number(last)];
  const run = /[A-Za-z]+$/.exec(w)![0];
  // An acronym is read letter by letter (API → 에이피아이, NG → 엔지); a word roughly as it sounds.
  if (run.length === 1 || (run.length <= 4 && run === run.toUpperCase())) return LETTER_FINAL.has(last.toLowerCase());
  const s = run.toLowerCase().replace(/(.)\1$/, '$1'); // app → ap
  if (/(ng|[lmn])$/.test(s)) return true;                    // token 토큰, model 모델, helm 헬름, annyeong 안녕
  if (/[aeiou]r$/.test(s)) return false;                      // server 서버, color 컬러
  if (/r$/.test(s)) return true;
  return /[aeiou](ck|[ptkb])$/.test(s);                       // app 앱, secret 시크릿, book 북, web 웹 — but pod 파드, config 컨피그
}

/** The particle of `pair` that fits `word` (e.g. josa('hello', '이/가') = '가'); the written-out "이(가)" when unsure. */
export function josa(word: string, pair: JosaPair): string {
  const [c, v] = JOSA[pair];
  // 으로/로: 로 after a vowel and after ㄹ (파일로, 서울로), 으로 after other consonants (컨테이너로, 네임스페이스로, 값으로).
  if (pair === '으로/로' && endsInRieul(word)) return v;
  const f = endsInConsonant(word);
  if (f === undefined) return pair === '으로/로' ? '(으)로' : `${c}(${v})`;
  return f ? c : v;
}

export function tr(text: Text | string | undefined, lang: Lang): string {
  if (text === undefined) return '';
  return typeof text === 'string' ? text : text[lang];
}

/** A Text that is the same in both languages (names, commands, values). */
export function same(s: string): Text { return { ko: s, en: s }; }

export function join(parts: Text[], sep = '\n'): Text {
  return { ko: parts.map((p) => p.ko).join(sep), en: parts.map((p) => p.en).join(sep) };
}

/** Exit codes: documented in `klab --help` and the README. */
export const ExitCode = { ok: 0, checksFailed: 1, usage: 2, unreachable: 3, internal: 4 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: a message in both languages and the exit code to leave with. */
export class KlabError extends Error {
  constructor(public readonly text: Text, public readonly exitCode: ExitCodeValue = ExitCode.usage, public readonly detail?: string) {
    super(text.en);
    this.name = 'KlabError';
  }
}
