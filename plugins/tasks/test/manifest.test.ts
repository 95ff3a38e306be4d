import { expectManifestMatches } from '@trainkit/core/testing';
import { it } from 'vitest';

it('declares in package.json exactly what definePlugin registers', async () => {
  await expectManifestMatches(new URL('..', import.meta.url));
});
