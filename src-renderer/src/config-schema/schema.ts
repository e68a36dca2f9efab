/**
 * The config schema table lives in the core (broker/config/config-schema.ts, plain data with no
 * imports) so the loader, the editor and docs/config.md share one copy. This is the renderer's one
 * value import from the core.
 */
export {
  CONFIG_ELEMENTS,
  attributeSpec,
  childElements,
  describeAttribute,
  elementSpec,
  type AttributeSpec,
  type ElementSpec,
} from '../../../broker/config/config-schema.js';
