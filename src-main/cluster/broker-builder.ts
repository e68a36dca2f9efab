import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrokerConfig } from '../../broker/config/broker-config.js';
import { formatDiagnostic, loadConfig } from '../../broker/config/index.js';
import type { LabEventInput } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import { BrokerHandle } from './broker-handle.js';
import { inspectTemplate, renderBrokerXml } from './cluster-template.js';
import type { LockStoreHost } from '../store-host/index.js';
import type { PortAllocator } from './port-allocator.js';
import type { ProcessLauncher } from './process-launcher.js';

export interface BrokerBuildInput {
  name: string;
  clusterDir: string;
  template: { name: string; xml: string };
  store: LockStoreHost;
  ports: PortAllocator;
  properties: Readonly<Record<string, string>>;
  durability?: 'normal' | 'full' | 'off';
  launcher: ProcessLauncher;
  emit: (event: LabEventInput) => void;
}

export interface BuiltBroker {
  handle: BrokerHandle;
  config: BrokerConfig;
  /** The connector ports it was given (the caller releases them if the cluster is refused). */
  ports: number[];
}

/**
 * One broker of a cluster from a template: its own connector ports, its directory, its
 * activemq.xml (checked with the broker's own loader before anything starts) and its handle.
 * Used at cluster creation and by "add broker". Ports taken before a failure are released here.
 */
export async function buildBroker(input: BrokerBuildInput): Promise<BuiltBroker> {
  const { name, template, store } = input;
  const shape = inspectTemplate(template.xml);
  if (!shape.ok) throw new LabApiError('bad-request', `${template.name}: ${shape.message}`);
  const ports = await input.ports.allocate(shape.connectors);
  try {
    const brokerDir = join(input.clusterDir, name);
    await mkdir(brokerDir, { recursive: true });
    const rendered = renderBrokerXml(template.xml, {
      brokerName: name,
      connectorPorts: ports,
      dataDirectory: join(brokerDir, 'data'),
      dataSource: await store.dataSourceFor(name),
      templateName: template.name,
    });
    if (!rendered.ok) throw new LabApiError('bad-request', `${template.name}: ${rendered.message}`);
    const configFile = join(brokerDir, 'activemq.xml');
    await writeFile(configFile, rendered.xml);
    const properties = { ...input.properties };
    const loaded = loadConfig(rendered.xml, { file: configFile, cwd: brokerDir, brokerName: name, properties });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (!loaded.config || errors.length > 0) {
      throw new LabApiError('bad-request', `the config for ${name} has errors:\n${errors.map((d) => formatDiagnostic(d, configFile)).join('\n')}`);
    }
    const config = loaded.config;
    const args = [...Object.entries(properties).map(([k, v]) => `-D${k}=${v}`), ...(input.durability ? ['--durability', input.durability] : [])];
    const handle = new BrokerHandle(
      {
        name,
        configFile,
        ports,
        connectorUris: config.transportConnectors.map((c) => c.uri),
        connectorNames: config.transportConnectors.map((c) => c.name),
        dir: brokerDir,
        args,
        env: store.envFor(name),
      },
      input.launcher,
      input.emit,
    );
    return { handle, config, ports };
  } catch (error) {
    input.ports.release(ports);
    throw error;
  }
}
