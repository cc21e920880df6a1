// "port 5001 taken → say which process holds it": the port-owner lookup names a real listener.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { describePortOwner, portFree, portOwner } from '../../host/procs.js';

function listen(): Promise<net.Server> {
  return new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => r(s)); });
}

test('a port this process listens on is not free and is attributed to this pid', async () => {
  const s = await listen();
  const port = (s.address() as net.AddressInfo).port;
  try {
    assert.is(await portFree(port), false);
    if (process.platform === 'linux') {
      const o = await portOwner(port);
      assert.is(o?.pid, process.pid);
      assert.match(await describePortOwner(port), new RegExp(`pid ${process.pid} \\(.*node`));
    }
  } finally { await new Promise((r) => s.close(r)); }
  assert.is(await portFree(port), true);
  assert.is(await portOwner(port), undefined);
});

test.run();
