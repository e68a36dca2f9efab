import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readBoolean } from './attributes.js';
import { booleanDefault, stringDefault } from './config-schema.js';
import type { DiagnosticSink } from './diagnostics.js';
import { parseJavaProperties } from './java-properties.js';
import { attribute, childElements } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/**
 * `<plugins>`: ActiveMQ's authentication and authorization plugins (docs/config.md, Security).
 * Users and groups come from `simpleAuthenticationPlugin` or from `jaasAuthenticationPlugin` with
 * ActiveMQ's properties login module; `authorizationPlugin` maps destinations to the groups that
 * may read, write and administer (create) them.
 */
export interface SecurityConfig {
  /** null: no authentication plugin, every client is let in (ActiveMQ's default). */
  authentication: AuthenticationConfig | null;
  /** null: no authorization plugin, an authenticated user may do anything. */
  authorization: AuthorizationConfig | null;
}

export interface SecurityUser {
  username: string;
  password: string;
  groups: readonly string[];
}

export interface AuthenticationConfig {
  /** Which plugin the users came from, for messages. */
  source: 'simpleAuthenticationPlugin' | 'jaasAuthenticationPlugin';
  users: readonly SecurityUser[];
  /** `anonymousAccessAllowed` (default false): a CONNECT without login and passcode gets the anonymous user. */
  anonymousAccessAllowed: boolean;
  /** `anonymousUser` (default `anonymous`). */
  anonymousUser: string;
  /** `anonymousGroup` (default `anonymous`). */
  anonymousGroup: string;
}

export interface AuthorizationEntryConfig {
  kind: 'queue' | 'topic';
  /** The `queue`/`topic` attribute: a name with ActiveMQ's `.` `*` `>` wildcards. */
  pattern: string;
  read: readonly string[];
  write: readonly string[];
  admin: readonly string[];
}

export interface AuthorizationConfig {
  entries: readonly AuthorizationEntryConfig[];
  /** `tempDestinationAuthorizationEntry`; null lets everybody use temporary destinations. */
  temp: { read: readonly string[]; write: readonly string[]; admin: readonly string[] } | null;
}

export const SECURITY_DEFAULTS = {
  anonymousAccessAllowed: booleanDefault('simpleAuthenticationPlugin', 'anonymousAccessAllowed'),
  anonymousUser: stringDefault('simpleAuthenticationPlugin', 'anonymousUser'),
  anonymousGroup: stringDefault('simpleAuthenticationPlugin', 'anonymousGroup'),
  jaasConfiguration: stringDefault('jaasAuthenticationPlugin', 'configuration'),
};

/** Plugins we serve; every other child of `<plugins>` is named in one warning. */
const SERVED_PLUGINS = new Set(['simpleAuthenticationPlugin', 'jaasAuthenticationPlugin', 'authorizationPlugin']);

export interface SecurityContextOptions {
  /** Directory of the activemq.xml: where `login.config` and its properties files are looked up. */
  configDir: string;
  sink: DiagnosticSink;
}

export function readPlugins(plugins: readonly XmlElement[], ctx: SecurityContextOptions): SecurityConfig | null {
  const { sink } = ctx;
  let authentication: AuthenticationConfig | null = null;
  let authorization: AuthorizationConfig | null = null;
  const unserved: XmlElement[] = [];
  for (const element of plugins.flatMap((p) => p.children)) {
    if (!SERVED_PLUGINS.has(element.name)) {
      unserved.push(element);
      continue;
    }
    if (element.name === 'authorizationPlugin') {
      if (authorization !== null) sink.error('plugin-duplicate', element, 'only one <authorizationPlugin> may be configured');
      authorization = readAuthorization(element, sink);
      continue;
    }
    if (authentication !== null) {
      sink.error('plugin-duplicate', element, `only one authentication plugin may be configured; <${authentication.source}> came first`);
      continue;
    }
    authentication = element.name === 'simpleAuthenticationPlugin' ? readSimple(element, sink) : readJaas(element, ctx);
  }
  if (unserved.length > 0) {
    const names = [...new Set(unserved.map((e) => `<${e.name}>`))].join(', ');
    sink.warning('plugin-ignored', unserved[0] as XmlElement, `not served by the lab, ignored: ${names}`);
  }
  if (authentication === null && authorization === null) return null;
  if (authorization !== null && authentication === null) {
    sink.warning('authorization-without-authentication', plugins[0] as XmlElement, '<authorizationPlugin> without an authentication plugin: every client is refused ("User is not authenticated.")');
  }
  if (authorization !== null && authentication !== null) checkGroups(authorization, authentication, plugins, sink);
  return { authentication, authorization };
}

function anonymousSettings(element: XmlElement, sink: DiagnosticSink): Pick<AuthenticationConfig, 'anonymousAccessAllowed' | 'anonymousUser' | 'anonymousGroup'> {
  return {
    anonymousAccessAllowed: readBoolean(element, 'anonymousAccessAllowed', SECURITY_DEFAULTS.anonymousAccessAllowed, sink),
    anonymousUser: attribute(element, 'anonymousUser')?.value ?? SECURITY_DEFAULTS.anonymousUser,
    anonymousGroup: attribute(element, 'anonymousGroup')?.value ?? SECURITY_DEFAULTS.anonymousGroup,
  };
}

/** `<simpleAuthenticationPlugin><users><authenticationUser username password groups/>`. */
function readSimple(element: XmlElement, sink: DiagnosticSink): AuthenticationConfig {
  const users: SecurityUser[] = [];
  for (const list of childElements(element, 'users')) {
    for (const user of list.children) {
      if (user.name !== 'authenticationUser') {
        sink.warning('element-ignored', user, `<${user.name}> inside <users> is ignored; ActiveMQ expects <authenticationUser>`);
        continue;
      }
      const username = attribute(user, 'username')?.value;
      const password = attribute(user, 'password')?.value;
      if (username === undefined || password === undefined) {
        sink.error('authentication-user-incomplete', user, '<authenticationUser> needs both username and password');
        continue;
      }
      if (users.some((u) => u.username === username)) sink.warning('authentication-user-duplicate', user, `user "${username}" is defined twice; the last one wins`, attribute(user, 'username'));
      users.push({ username, password, groups: groupList(attribute(user, 'groups')?.value) });
    }
  }
  const settings = anonymousSettings(element, sink);
  if (users.length === 0 && !settings.anonymousAccessAllowed) {
    sink.warning('authentication-no-users', element, '<simpleAuthenticationPlugin> defines no users and anonymousAccessAllowed is false: every client is refused');
  }
  return { source: 'simpleAuthenticationPlugin', users: dedupe(users), ...settings };
}

/**
 * `<jaasAuthenticationPlugin configuration="activemq"/>` with ActiveMQ's PropertiesLoginModule: the
 * entry of `login.config` (beside activemq.xml, as `${activemq.conf}/login.config`) names the
 * users and groups properties files (`org.apache.activemq.jaas.properties.user` / `.group`).
 */
function readJaas(element: XmlElement, ctx: SecurityContextOptions): AuthenticationConfig {
  const { sink } = ctx;
  const entryName = attribute(element, 'configuration')?.value ?? SECURITY_DEFAULTS.jaasConfiguration;
  // Anonymous access under JAAS is a login module of its own (GuestLoginModule), not served.
  const empty: AuthenticationConfig = {
    source: 'jaasAuthenticationPlugin',
    users: [],
    anonymousAccessAllowed: false,
    anonymousUser: SECURITY_DEFAULTS.anonymousUser,
    anonymousGroup: SECURITY_DEFAULTS.anonymousGroup,
  };
  const loginConfig = resolve(ctx.configDir, 'login.config');
  const text = readText(loginConfig);
  if (text === null) {
    sink.error('jaas-login-config-missing', element, `cannot read ${loginConfig}: the JAAS login configuration (login.config beside activemq.xml) is required`);
    return empty;
  }
  const entry = parseLoginConfig(text).get(entryName);
  if (entry === undefined) {
    sink.error('jaas-entry-missing', element, `${loginConfig} has no entry "${entryName}"`, attribute(element, 'configuration'));
    return empty;
  }
  if (!/PropertiesLoginModule$/.test(entry.module)) {
    sink.error('jaas-module-unsupported', element, `login module ${entry.module} is not served by the lab; only org.apache.activemq.jaas.PropertiesLoginModule`);
    return empty;
  }
  const usersFile = entry.options.get('org.apache.activemq.jaas.properties.user') ?? 'users.properties';
  const groupsFile = entry.options.get('org.apache.activemq.jaas.properties.group') ?? 'groups.properties';
  const base = dirname(loginConfig);
  const usersText = readText(isAbsolute(usersFile) ? usersFile : resolve(base, usersFile));
  const groupsText = readText(isAbsolute(groupsFile) ? groupsFile : resolve(base, groupsFile));
  if (usersText === null || groupsText === null) {
    sink.error('jaas-properties-missing', element, `cannot read ${usersText === null ? usersFile : groupsFile} (named by the "${entryName}" entry of ${loginConfig})`);
    return empty;
  }
  const groupsOf = new Map<string, string[]>();
  for (const [group, members] of parseJavaProperties(groupsText)) {
    for (const member of groupList(members)) groupsOf.set(member, [...(groupsOf.get(member) ?? []), group]);
  }
  const users = [...parseJavaProperties(usersText)].map(([username, password]) => ({ username, password, groups: groupsOf.get(username) ?? [] }));
  return { ...empty, users };
}

/** `<authorizationPlugin><map><authorizationMap>` with its entries and the temp-destination entry. */
function readAuthorization(element: XmlElement, sink: DiagnosticSink): AuthorizationConfig {
  const maps = childElements(element, 'map').flatMap((m) => childElements(m, 'authorizationMap'));
  if (maps.length === 0) {
    sink.error('authorization-map-missing', element, '<authorizationPlugin> needs <map><authorizationMap>...</authorizationMap></map>');
    return { entries: [], temp: null };
  }
  const entries: AuthorizationEntryConfig[] = [];
  let temp: AuthorizationConfig['temp'] = null;
  for (const map of maps) {
    for (const list of childElements(map, 'authorizationEntries')) {
      for (const entry of list.children) {
        if (entry.name !== 'authorizationEntry') {
          sink.warning('element-ignored', entry, `<${entry.name}> inside <authorizationEntries> is ignored`);
          continue;
        }
        const read = readEntry(entry, sink);
        if (read !== null) entries.push(read);
      }
    }
    for (const wrapper of childElements(map, 'tempDestinationAuthorizationEntry')) {
      for (const entry of childElements(wrapper, 'tempDestinationAuthorizationEntry')) temp = rights(entry);
    }
  }
  return { entries, temp };
}

function readEntry(entry: XmlElement, sink: DiagnosticSink): AuthorizationEntryConfig | null {
  const queue = attribute(entry, 'queue');
  const topic = attribute(entry, 'topic');
  if ((queue === undefined) === (topic === undefined)) {
    sink.error('authorization-entry-destination', entry, '<authorizationEntry> needs exactly one of queue="..." or topic="..."');
    return null;
  }
  const target = (queue ?? topic) as NonNullable<typeof queue>;
  if (target.value.trim() === '') {
    sink.error('authorization-entry-destination', entry, `<authorizationEntry> has an empty ${target.name}`, target);
    return null;
  }
  return { kind: queue !== undefined ? 'queue' : 'topic', pattern: target.value.trim(), ...rights(entry) };
}

function rights(entry: XmlElement): { read: string[]; write: string[]; admin: string[] } {
  return {
    read: groupList(attribute(entry, 'read')?.value),
    write: groupList(attribute(entry, 'write')?.value),
    admin: groupList(attribute(entry, 'admin')?.value),
  };
}

/** A group named in the authorization map that no user belongs to is usually a typo. */
function checkGroups(authorization: AuthorizationConfig, authentication: AuthenticationConfig, plugins: readonly XmlElement[], sink: DiagnosticSink): void {
  const known = new Set(authentication.users.flatMap((u) => u.groups));
  if (authentication.anonymousAccessAllowed) known.add(authentication.anonymousGroup);
  const entryElements = plugins.flatMap((p) => allDescendants(p)).filter((e) => e.name === 'authorizationEntry' || e.name === 'tempDestinationAuthorizationEntry');
  for (const element of entryElements) {
    for (const right of ['read', 'write', 'admin']) {
      const attr = attribute(element, right);
      const unknown = groupList(attr?.value).filter((g) => !known.has(g));
      if (attr && unknown.length > 0) {
        sink.warning('authorization-unknown-group', element, `${right}="${attr.value}": no user is in group ${unknown.map((g) => `"${g}"`).join(', ')}`, attr);
      }
    }
  }
}

function allDescendants(element: XmlElement): XmlElement[] {
  return element.children.flatMap((c) => [c, ...allDescendants(c)]);
}

function groupList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
}

function dedupe(users: SecurityUser[]): SecurityUser[] {
  return [...new Map(users.map((u) => [u.username, u])).values()];
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

interface LoginEntry {
  module: string;
  options: Map<string, string>;
}

/**
 * The JAAS login configuration format as ActiveMQ ships it:
 * `name { module.Class flag key="value" ...; };`. Only the first module of an entry is read.
 */
export function parseLoginConfig(text: string): Map<string, LoginEntry> {
  const entries = new Map<string, LoginEntry>();
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  for (const match of withoutComments.matchAll(/([\w.-]+)\s*\{([\s\S]*?)\}\s*;/g)) {
    const body = (match[2] ?? '').trim();
    const head = /^([\w.$]+)\s+(required|requisite|sufficient|optional)\b/.exec(body);
    if (head === null) continue;
    const options = new Map<string, string>();
    for (const option of body.slice(head[0].length).matchAll(/([\w.]+)\s*=\s*"([^"]*)"/g)) options.set(option[1] as string, option[2] as string);
    entries.set(match[1] as string, { module: head[1] as string, options });
  }
  return entries;
}
