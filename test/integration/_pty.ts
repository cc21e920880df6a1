// A klab command in a real pseudo-terminal (tmux): read the screen, send keys, wait for text.
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { klabJs } from '../unit/_cli.js';
import { testCluster } from './_env.js';
import { traineeEnv } from './_labs.js';

const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });

export interface Pty {
  screen(): string;
  keys(...k: string[]): void;
  /** Wait until `text` is on the screen (at least `times` times), return the screen. */
  waitFor(text: string | RegExp, timeoutMs?: number, times?: number): Promise<string>;
  kill(): void;
}

/** `klab <args>` against the test cluster in a new tmux session; the shell prints KLAB-EXIT=<code> when it ends. */
export function klabPty(name: string, opts: { state: string; seed: string; lang: 'en' | 'ko'; args: string[]; env?: Record<string, string>; kubeconfig?: string }): Pty {
  const info = testCluster();
  const cmd = [
    `env LANG=${opts.lang === 'ko' ? 'ko_KR.UTF-8' : 'en_US.UTF-8'} NO_COLOR=1${Object.entries({ ...traineeEnv(opts.state, opts.seed), ...opts.env }).map(([k, v]) => ` ${k}=${v}`).join('')}`,
    `${process.execPath} ${klabJs} ${opts.args.join(' ')} --kubeconfig ${opts.kubeconfig ?? info.kubeconfig} --context ${info.context};`,
    `echo KLAB-EXIT=$?; sleep 60`,
  ].join(' ');
  tmux('kill-session', '-t', name); // a leftover of an earlier run
  assert.is(tmux('new-session', '-d', '-s', name, '-x', '150', '-y', '50', cmd).status, 0, 'tmux starts');
  const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-5000', '-t', name).stdout;
  const count = (s: string, text: string | RegExp) => (typeof text === 'string' ? s.split(text).length - 1 : (s.match(new RegExp(text.source, 'g')) ?? []).length);
  return {
    screen,
    keys: (...k: string[]) => { tmux('send-keys', '-t', name, ...k); },
    async waitFor(text, timeoutMs = 60_000, times = 1) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (count(s, text) >= times) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text} (×${times}); screen:\n${s}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    kill: () => { tmux('kill-session', '-t', name); },
  };
}
