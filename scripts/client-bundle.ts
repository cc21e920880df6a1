// The klab process loads @kubernetes/client-node from one bundled file (built by scripts/postbuild.ts) instead of its
// ~170 modules: a third of the load time (issue 11; figures in docs/decisions/0011-client-bundle.md). A resolve hook
// maps the package name to the bundle for every import and require in the process, so there is still exactly one
// copy (instanceof ApiException / KubeConfig hold everywhere). Without the bundle (a tree built by plain tsc) the
// package itself is used.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CLIENT_BUNDLE = fileURLToPath(new URL('../vendor/client-node.cjs', import.meta.url));
const PACKAGE = '@kubernetes/client-node';

type Hooks = { resolve(specifier: string, context: unknown, next: (s: string, c: unknown) => unknown): unknown };
/** Install the hook (Node ≥ 22.15 has module.registerHooks); a no-op when the bundle or the API is missing. */
export function useClientBundle(): boolean {
  const register = (module as unknown as { registerHooks?: (h: Hooks) => void }).registerHooks;
  if (!register || process.env.KLAB_NO_CLIENT_BUNDLE === '1' || !existsSync(CLIENT_BUNDLE)) return false;
  const url = pathToFileURL(CLIENT_BUNDLE).href;
  register({
    resolve(specifier, context, next) {
      return specifier === PACKAGE ? { url, format: 'commonjs', shortCircuit: true } : next(specifier, context);
    },
  });
  return true;
}
