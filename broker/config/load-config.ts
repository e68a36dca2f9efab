import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrokerConfig, Diagnostic, LoadResult } from './broker-config.js';
import { beansById, isPlaceholderConfigurerClass, readBean } from './beans.js';
import type { BeanDefinition } from './beans.js';
import { readBroker } from './broker-element.js';
import { isDataSourceClass } from './data-sources.js';
import { DOCUMENT_START, DiagnosticSink, sortDiagnostics } from './diagnostics.js';
import { setUpPlaceholders } from './property-sources.js';
import { resolveTree } from './resolve-tree.js';
import { parseXmlTree } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/**
 * activemq.xml → an immutable BrokerConfig plus every positioned diagnostic. Never throws on bad
 * input: a config with any error diagnostic yields `config: null`, so a broker never starts on it.
 */

export interface LoadOptions {
  /** The file the XML came from: `${activemq.conf}` is its directory; messages name it. */
  file?: string | null;
  /** `-D key=value` properties, like Java system properties. */
  properties?: Record<string, string>;
  /** Directory relative paths resolve against; `${activemq.base}` and `${activemq.home}`. Default: process.cwd(). */
  cwd?: string;
  /** `--name`: overrides brokerName in the XML. */
  brokerName?: string;
}

const CONTEXT_NS = 'http://www.springframework.org/schema/context';

export function loadConfig(xml: string, options: LoadOptions = {}): LoadResult {
  try {
    return interpret(xml, options);
  } catch (err) {
    // The policy is "no stack trace reaches the user": an unexpected failure is one error diagnostic.
    const message = err instanceof Error ? err.message : String(err);
    return {
      config: null,
      diagnostics: [{ severity: 'error', code: 'internal-error', message: `the config loader failed: ${message}`, line: 1, column: 1, path: '' }],
    };
  }
}

export async function loadConfigFile(path: string, options: Omit<LoadOptions, 'file'> = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const file = resolve(cwd, path);
  let xml: string;
  try {
    // Read synchronously: the first asynchronous fs call starts libuv's four pool threads, and a
    // broker on SQLite never needs them (better-sqlite3 is synchronous); their stacks and malloc
    // arenas are memory a slave would keep for as long as it waits.
    xml = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return {
      config: null,
      diagnostics: [{ severity: 'error', code: 'config-file-unreadable', message: `cannot read config file ${file}: ${reason}`, line: 1, column: 1, path: '' }],
    };
  }
  return loadConfig(xml, { ...options, cwd, file });
}

/** For `failover-lab config check <file>`: exit code 2 when any diagnostic is an error. */
export async function checkConfigFile(
  path: string,
  options: Omit<LoadOptions, 'file'> = {},
): Promise<{ diagnostics: readonly Diagnostic[]; exitCode: 0 | 2 }> {
  const { diagnostics } = await loadConfigFile(path, options);
  return { diagnostics, exitCode: diagnostics.some((d) => d.severity === 'error') ? 2 : 0 };
}

function interpret(xml: string, options: LoadOptions): LoadResult {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? null;
  const parsed = parseXmlTree(xml.replace(/^\uFEFF/, ''));
  const sink = new DiagnosticSink();
  let config: BrokerConfig | null = null;
  if (parsed.root) {
    const setup = setUpPlaceholders(parsed.root, { properties: options.properties ?? {}, cwd, file }, sink);
    const root = resolveTree(parsed.root, setup, sink);
    const broker = findBroker(root, sink);
    const beans = root.name === 'beans' ? beansById(root) : new Map<string, BeanDefinition>();
    if (broker) config = readBroker(broker, { cwd, file, brokerNameOverride: options.brokerName, beans, sink });
  }
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...sink.items]);
  const usable = config !== null && !diagnostics.some((d) => d.severity === 'error');
  return { config: usable ? deepFreeze(config) : null, diagnostics };
}

function findBroker(root: XmlElement, sink: DiagnosticSink): XmlElement | null {
  if (root.name === 'broker') return root;
  if (root.name !== 'beans') {
    sink.error('unknown-root', root, `the root element is <${root.qname}>; an ActiveMQ config starts with <beans> (or <broker>)`);
    return null;
  }
  const brokers = root.children.filter((c) => c.name === 'broker');
  for (const extra of brokers.slice(1)) {
    sink.error('duplicate-broker', extra, 'a config for the lab holds one <broker>; this one is a second');
  }
  for (const child of root.children) reportTopLevel(child, sink);
  const broker = brokers[0];
  if (!broker) sink.error('no-broker', DOCUMENT_START, 'no <broker> element in <beans>');
  return broker ?? null;
}

function reportTopLevel(element: XmlElement, sink: DiagnosticSink): void {
  if (element.name === 'broker') return;
  if (element.name === 'property-placeholder' && element.uri === CONTEXT_NS) return;
  if (element.name === 'import') {
    const resource = element.attributes.find((a) => a.name === 'resource')?.value ?? '';
    sink.warning('import-not-followed', element, `<import resource="${resource}"> is not followed: what it defines (web console, Camel, ...) is not part of the lab`);
    return;
  }
  if (element.name === 'bean') {
    const bean = readBean(element);
    if (isPlaceholderConfigurerClass(bean.className) || isDataSourceClass(bean.className)) return;
    sink.warning('bean-ignored', element, `<bean${bean.id ? ` id="${bean.id}"` : ''} class="${bean.className}"> is not created by the lab; ignored`);
    return;
  }
  sink.warning('element-ignored', element, `<${element.qname}> is not part of what the lab runs; ignored`);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
