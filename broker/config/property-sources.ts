import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ENCRYPTED_CONFIGURER_CLASS, isPlaceholderConfigurerClass, readBean } from './beans.js';
import type { DiagnosticSink } from './diagnostics.js';
import { parseJavaProperties } from './java-properties.js';
import { resolvePlaceholders } from './placeholders.js';
import type { PlaceholderLookup } from './placeholders.js';
import { attribute } from './xml-tree.js';
import type { XmlAttribute, XmlElement } from './xml-tree.js';

/**
 * Where `${...}` values come from: the properties files of PropertyPlaceholderConfigurer beans (or
 * `<context:property-placeholder>`), `-D` properties, and the properties ActiveMQ's start script
 * defines (`activemq.base`, `activemq.home`, `activemq.conf`, `activemq.data`).
 */

export interface PropertySourceOptions {
  properties: Readonly<Record<string, string>>;
  cwd: string;
  /** The config file, when it came from one: `activemq.conf` is its directory. */
  file: string | null;
}

type SystemPropertiesMode = 'never' | 'fallback' | 'override';

const CONTEXT_NS = 'http://www.springframework.org/schema/context';

/** What Java -D would hold: ActiveMQ's predefined properties, overridden by the given ones. */
function systemProperties(options: PropertySourceOptions): Record<string, string> {
  const given = options.properties;
  const base = given['activemq.base'] ?? options.cwd;
  return {
    'activemq.base': base,
    'activemq.home': given['activemq.home'] ?? base,
    'activemq.conf': given['activemq.conf'] ?? (options.file ? dirname(resolve(options.cwd, options.file)) : base),
    'activemq.data': given['activemq.data'] ?? join(base, 'data'),
    ...given,
  };
}

export interface PlaceholderSetup {
  lookup: PlaceholderLookup;
  /** True when every configurer sets `ignoreUnresolvablePlaceholders`: unresolved ones are warnings. */
  ignoreUnresolvable: boolean;
  /** Configurer elements; their own values were resolved here against system properties only. */
  configurers: ReadonlySet<XmlElement>;
}

export function setUpPlaceholders(root: XmlElement, options: PropertySourceOptions, sink: DiagnosticSink): PlaceholderSetup {
  const system = systemProperties(options);
  const systemLookup: PlaceholderLookup = (name) => system[name];
  const fileProperties = new Map<string, string>();
  const configurers = new Set<XmlElement>();
  let mode: SystemPropertiesMode | null = null;
  let ignoreAll = true;

  for (const element of root.children) {
    const found = readConfigurer(element);
    if (!found) continue;
    if (found.encrypted) {
      sink.warning('encrypted-properties-not-decrypted', element, 'Jasypt-encrypted property values (ENC(...)) are used as written: the lab cannot decrypt them');
    }
    configurers.add(element);
    mode ??= found.mode;
    ignoreAll &&= found.ignoreUnresolvable;
    for (const location of found.locations) {
      const resolved = resolvePlaceholders(location.value, systemLookup);
      for (const name of resolved.unresolved) {
        sink.error('unresolved-placeholder', location.at, `cannot resolve placeholder \${${name}} in a properties location (set it with -D ${name}=...)`, location.attr);
      }
      if (resolved.unresolved.length > 0) continue;
      loadLocation(resolved.value, options.cwd, location, fileProperties, sink);
    }
  }
  const effectiveMode = mode ?? 'fallback';
  const lookup: PlaceholderLookup = (name) => {
    if (effectiveMode === 'override') return system[name] ?? fileProperties.get(name);
    if (effectiveMode === 'never') return fileProperties.get(name);
    return fileProperties.get(name) ?? system[name];
  };
  return { lookup, ignoreUnresolvable: configurers.size > 0 && ignoreAll, configurers };
}

interface Location {
  value: string;
  at: XmlElement;
  attr: XmlAttribute | undefined;
}

interface Configurer {
  locations: Location[];
  mode: SystemPropertiesMode;
  ignoreUnresolvable: boolean;
  encrypted: boolean;
}

function readConfigurer(element: XmlElement): Configurer | null {
  if (element.name === 'property-placeholder' && element.uri === CONTEXT_NS) {
    const locationAttr = attribute(element, 'location');
    const locations = (locationAttr?.value ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((value) => ({ value, at: element, attr: locationAttr }));
    return {
      locations,
      mode: parseMode(attribute(element, 'system-properties-mode')?.value),
      ignoreUnresolvable: attribute(element, 'ignore-unresolvable')?.value === 'true',
      encrypted: false,
    };
  }
  if (element.name !== 'bean') return null;
  const bean = readBean(element);
  if (!isPlaceholderConfigurerClass(bean.className)) return null;
  const locations: Location[] = [];
  for (const key of ['locations', 'location']) {
    const property = bean.properties.get(key);
    for (const value of property?.values ?? []) {
      locations.push({ value, at: property?.element ?? element, attr: property?.attr });
    }
  }
  const modeName = bean.properties.get('systemPropertiesModeName')?.values[0];
  const modeNumber = bean.properties.get('systemPropertiesMode')?.values[0];
  return {
    locations,
    mode: parseMode(modeName ?? (modeNumber === '0' ? 'NEVER' : modeNumber === '2' ? 'OVERRIDE' : undefined)),
    ignoreUnresolvable: bean.properties.get('ignoreUnresolvablePlaceholders')?.values[0] === 'true',
    encrypted: ENCRYPTED_CONFIGURER_CLASS.test(bean.className),
  };
}

function parseMode(value: string | undefined): SystemPropertiesMode {
  const v = (value ?? '').toUpperCase();
  if (v.endsWith('OVERRIDE')) return 'override';
  if (v.endsWith('NEVER')) return 'never';
  return 'fallback';
}

function loadLocation(
  resource: string,
  cwd: string,
  location: Location,
  into: Map<string, string>,
  sink: DiagnosticSink,
): void {
  if (resource.startsWith('classpath:') || resource.startsWith('classpath*:')) {
    sink.warning('properties-location-unsupported', location.at, `properties location "${resource}" is on the Java classpath, which the lab does not have; its properties are not loaded`, location.attr);
    return;
  }
  const path = resource.startsWith('file:') ? resource.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : resource;
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
    sink.warning('properties-file-missing', location.at, `properties file ${absolute} cannot be read (${reason}); placeholders it would define stay unresolved`, location.attr);
    return;
  }
  for (const [key, value] of parseJavaProperties(text)) {
    if (!into.has(key)) into.set(key, value);
  }
}
