import { dirname, isAbsolute, resolve } from 'node:path';
import { DEFAULTS } from './broker-config.js';
import type { BrokerConfig, PersistenceConfig } from './broker-config.js';
import { readBoolean } from './attributes.js';
import { booleanDefault } from './config-schema.js';
import type { BeanDefinition } from './beans.js';
import { readTransportConnectors } from './connectors.js';
import { defaultStore } from './data-sources.js';
import { readDestinationPolicy } from './destination-policy.js';
import type { DiagnosticSink } from './diagnostics.js';
import { reportIgnoredAttributes } from './ignored.js';
import { exceedsColumn } from '../store/column-bounds.js';
import { checkLeaseRenewal } from './lease-rules.js';
import { defaultPersistence, readPersistence } from './persistence.js';
import { readPlugins } from './security.js';
import { attribute, childElements } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/** `<broker xmlns="http://activemq.apache.org/schema/core" brokerName persistent dataDirectory>`. */

const ACTIVEMQ_CORE_NS = 'http://activemq.apache.org/schema/core';

export interface BrokerContext {
  cwd: string;
  file: string | null;
  /** `--name` on the command line: wins over brokerName in the XML. */
  brokerNameOverride: string | undefined;
  beans: ReadonlyMap<string, BeanDefinition>;
  sink: DiagnosticSink;
}

const HONOURED_CHILDREN = new Set(['persistenceAdapter', 'persistenceFactory', 'transportConnectors', 'destinationPolicy', 'plugins']);
const BROKER_ATTRIBUTES = new Set(['brokerName', 'persistent', 'dataDirectory']);
/** Attributes whose `true` we cannot honour: a warning when true, nothing when false. */
const NOT_HONOURED_WHEN_TRUE = ['schedulerSupport', 'deleteAllMessagesOnStartup'];

/** Children whose absence changes something a lab user would notice; the rest are plain "ignored". */
const CHILD_NOTES: Record<string, string> = {
  ioExceptionHandler: 'is ignored: on a store failure the master always closes its connectors and gives up the lock',
  networkConnectors: 'is ignored: the lab runs no network of brokers',
  sslContext: 'is ignored: the lab serves no TLS',
};

export function readBroker(broker: XmlElement, ctx: BrokerContext): BrokerConfig | null {
  const { sink } = ctx;
  if (broker.uri !== ACTIVEMQ_CORE_NS) {
    sink.warning('broker-namespace', broker, `<broker> is in namespace "${broker.uri}"; ActiveMQ only recognises it with xmlns="${ACTIVEMQ_CORE_NS}"`);
  }
  reportIgnoredAttributes(broker, new Set([...BROKER_ATTRIBUTES, ...NOT_HONOURED_WHEN_TRUE]), sink);
  for (const name of NOT_HONOURED_WHEN_TRUE) {
    const attr = attribute(broker, name);
    if (attr && /^(true|yes|on|1)$/i.test(attr.value.trim())) {
      sink.warning('broker-attribute-not-honoured', broker, `${name}="${attr.value}" is not honoured by the lab: it behaves as ${name}="false"`, attr);
    }
  }
  for (const child of broker.children) {
    if (HONOURED_CHILDREN.has(child.name)) continue;
    const note = CHILD_NOTES[child.name] ?? 'is not honoured by the lab; ignored';
    sink.warning('element-ignored', child, `<${child.name}> ${note}`);
  }

  const brokerName = readBrokerName(broker, ctx);
  const persistent = readBoolean(broker, 'persistent', booleanDefault('broker', 'persistent'), sink);
  const dataDirectoryAttr = attribute(broker, 'dataDirectory');
  const dataDirectory = absolute(dataDirectoryAttr?.value ?? DEFAULTS.dataDirectory, ctx.cwd);
  const hasAdapter = childElements(broker, 'persistenceAdapter').length + childElements(broker, 'persistenceFactory').length > 0;

  let persistence: PersistenceConfig | null;
  if (!persistent) {
    sink.warning('memory-only', broker, `persistent="false": messages are kept in memory only and the broker takes no lock, so every broker started with this config is master${hasAdapter ? '; the <persistenceAdapter> is ignored' : ''}`, attribute(broker, 'persistent'));
    persistence = hasAdapter ? readPersistence(broker, { cwd: ctx.cwd, brokerDataDirectory: dataDirectory, beans: ctx.beans, sink }) : defaultPersistence(defaultStore(dataDirectory, 'default'));
  } else {
    persistence = readPersistence(broker, { cwd: ctx.cwd, brokerDataDirectory: dataDirectory, beans: ctx.beans, sink });
  }
  if (persistence && persistent) {
    const lease = findLeaseLocker(broker);
    if (lease) checkLeaseRenewal(persistence, lease.adapter, lease.locker, sink);
  }
  const transportConnectors = readTransportConnectors(broker, sink);
  const destinationPolicy = childElements(broker, 'destinationPolicy').flatMap((element) => readDestinationPolicy(element, sink));
  const security = readPlugins(childElements(broker, 'plugins'), { configDir: ctx.file === null ? ctx.cwd : dirname(ctx.file), sink });
  if (!persistence) return null;
  return { brokerName, persistent, dataDirectory, persistence, transportConnectors, destinationPolicy, security, sourceFile: ctx.file };
}

function readBrokerName(broker: XmlElement, ctx: BrokerContext): string {
  if (ctx.brokerNameOverride !== undefined && ctx.brokerNameOverride !== '') {
    const tooLong = exceedsColumn('ACTIVEMQ_LOCK.BROKER_NAME', 'the broker name given with --name', ctx.brokerNameOverride);
    if (tooLong) ctx.sink.error('value-too-long', broker, tooLong);
    return ctx.brokerNameOverride;
  }
  const attr = attribute(broker, 'brokerName');
  if (!attr) return DEFAULTS.brokerName;
  if (attr.value.trim() === '') {
    ctx.sink.error('empty-broker-name', broker, 'brokerName is empty', attr);
    return DEFAULTS.brokerName;
  }
  // The lock row names its holder by broker name (or leaseHolderId).
  const tooLong = exceedsColumn('ACTIVEMQ_LOCK.BROKER_NAME', 'brokerName', attr.value);
  if (tooLong) ctx.sink.error('value-too-long', broker, tooLong, attr);
  return attr.value;
}

function findLeaseLocker(broker: XmlElement): { adapter: XmlElement; locker: XmlElement } | null {
  for (const holder of [...childElements(broker, 'persistenceAdapter'), ...childElements(broker, 'persistenceFactory')]) {
    for (const adapter of holder.children) {
      for (const lockerHolder of adapter.children.filter((c) => c.name === 'locker' || c.name === 'databaseLocker')) {
        const locker = childElements(lockerHolder, 'lease-database-locker')[0];
        if (locker) return { adapter, locker };
      }
    }
  }
  return null;
}

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
