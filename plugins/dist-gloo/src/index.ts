/**
 * @trainkit/dist-gloo: data-parallel training over Gloo, the collective library behind
 * PyTorch's CPU `gloo` backend. Importing it registers the `gloo` backend for
 * `env_cfg.dist_cfg.backend`; core then runs DDP (parameter broadcast, bucketed gradient
 * averaging, sharded samplers, gathered metrics) through it.
 */
import { registerDistBackend } from '@trainkit/core/dist';
import { connectGloo } from './connect.js';

export { connectGloo, localAddressToward } from './connect.js';
export { CollectiveError, GlooProcessGroup } from './gloo-group.js';
export { DEBIAN_PACKAGES, GlooUnavailableError, loadBinding } from './native.js';
export { StoreServer } from './store-server.js';

registerDistBackend('gloo', connectGloo);
