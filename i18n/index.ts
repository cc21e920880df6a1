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

/** Replace {name} placeholders in both languages. Unknown placeholders are left visible. */
export function fill(text: Text, vars: Vars = {}): Text {
  const sub = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined ? m : String(vars[k])));
  return { ko: sub(text.ko), en: sub(text.en) };
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
