/** Unit tests of the workspace diagnostics throttle. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WorkspacePullGate } from '../pullGate';

test('the first pull and the first after each change pass, the rest wait', () => {
  const gate = new WorkspacePullGate();
  assert.deepEqual([gate.take(), gate.take(), gate.take()], [true, false, false]);
  gate.markDirty();
  gate.markDirty();
  assert.deepEqual([gate.take(), gate.take()], [true, false]);
});
