// Step texts as the guided flow prints them: markdown rendered for the terminal, inline formatting inside list items
// too (marked-terminal alone prints `**bold**` and backticks raw there).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderMarkdown } from '../../scripts/guide.js';

test('bold and code inside list items are rendered, not printed raw; plain paragraphs and lists are unchanged', async () => {
  const out = await renderMarkdown('- **GatewayClass** — which `controller`\n- plain item\n\nA **bold** word.\n', { color: false });
  assert.not.match(out, /\*\*/);
  assert.not.match(out, /`/);
  assert.match(out, /GatewayClass — which controller/);
  assert.match(out, /plain item/);
  assert.match(out, /A bold word\./);
});

test('numbered lists with inline code keep their numbers and text', async () => {
  const out = await renderMarkdown('1. run `klab check`\n2. **fix** it\n', { color: false });
  assert.match(out, /1\. run klab check/);
  assert.match(out, /2\. fix it/);
});

test.run();
