/** Public surface of the config loader: activemq.xml → BrokerConfig + positioned diagnostics. */
export { loadConfig, loadConfigFile, checkConfigFile } from './load-config.js';
export type { LoadOptions } from './load-config.js';
export { formatDiagnostic } from './diagnostics.js';
export { findDuplicateLeaseHolderIds } from './lease-rules.js';
export type { ClusterDiagnostic } from './lease-rules.js';
export { parseConnectorUri, SERVED_SCHEMES } from './connectors.js';
export { parseXmlTree, type XmlElement } from './xml-tree.js';
export * from './broker-config.js';
export type { AuthenticationConfig, AuthorizationConfig, AuthorizationEntryConfig, SecurityConfig, SecurityUser } from './security.js';
