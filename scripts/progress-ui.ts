// The Progress a provider reports to: one line per phase; on a TTY a spinner with elapsed time, else plain lines.
import { tr, type Text } from '../i18n/index.js';
import type { Progress } from '../cluster/provider.js';
import type { ParsedArgs } from './args.js';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function consoleProgress(args: Pick<ParsedArgs, 'lang' | 'color'>, stream: NodeJS.WriteStream = process.stderr): Progress & { total(): void } {
  const t0 = Date.now();
  let name = '';
  let started = 0;
  let timer: NodeJS.Timeout | undefined;
  const tty = stream.isTTY && args.color;
  const line = (mark: string, extra = '') => `${mark} ${name} (${secs(Date.now() - started)})${extra}`;
  const stop = () => { if (timer) clearInterval(timer); timer = undefined; };
  return {
    phase(text: Text) {
      stop();
      name = tr(text, args.lang);
      started = Date.now();
      if (tty) {
        let i = 0;
        timer = setInterval(() => stream.write(`\r\x1b[2K${line(frames[i++ % frames.length])}`), 100);
        timer.unref();
      } else stream.write(`… ${name}\n`);
    },
    done(note?: Text) {
      stop();
      const extra = note ? ` — ${tr(note, args.lang)}` : '';
      stream.write(tty ? `\r\x1b[2K${line('✔', extra)}\n` : `${line('✔', extra)}\n`);
    },
    info(text: Text) {
      if (tty && timer) stream.write('\r\x1b[2K');
      stream.write(`  ${tr(text, args.lang)}\n`);
    },
    total() {
      stop();
      stream.write(args.lang === 'ko' ? `전체 ${secs(Date.now() - t0)}\n` : `Total ${secs(Date.now() - t0)}\n`);
    },
  };
}
