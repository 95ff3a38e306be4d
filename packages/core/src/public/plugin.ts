/**
 * @trainkit/core/plugin: what a plugin package and the CLI need beyond the main entry: the plugin
 * declaration, finding and importing installed plugins, hook points, and the helpers plugins share
 * (log formatting, the log processor, did-you-mean, file helpers).
 */
export {
  definePlugin,
  declaredPlugin,
  type Plugin,
  type PluginDeclaration,
  type PluginOptions,
  type PluginProvides,
  type PluginType,
} from '../registry/define-plugin.js';
export { findInstalledPlugins, findProvider, importPlugin, packageEntry, type PluginManifest } from '../registry/plugin-discovery.js';
export { ensureTypes, collectTypes } from '../registry/ensure-types.js';
export { officialPackageFor, officialPackages, officialProvides } from '../registry/official-plugins.js';
export { importCustomModules, type CustomImports } from '../registry/custom-imports.js';
export { setDefaultScope, currentDefaultScope } from '../registry/default-scope.js';
export { DuplicateCoreError, type CoreCopy } from '../registry/one-core.js';
export { HOOK_POINTS, type HookPoint } from '../hooks/hook-points.js';
export { HookPlan } from '../hooks/hook-plan.js';
export { LogProcessor, logProcessorOptions, type LogContext, type LogProcessorOptions, type LogTag } from '../logging/log-processor.js';
export { formatExp, formatFixed, formatTimedelta } from '../logging/format.js';
export { didYouMean, closeMatches } from '../utils/did-you-mean.js';
export { ensureDir } from '../utils/ensure-dir.js';
export { importFile } from '../utils/import-module.js';
export { VERSIONS } from '../runner/versions.js';
