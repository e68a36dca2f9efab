import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from './broker-config.js';
import { loadConfig, loadConfigFile } from './load-config.js';
import { parseLoginConfig } from './security.js';

const cwd = '/srv/lab';
const tmp = mkdtempSync(join(tmpdir(), 'security-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => d.code);

function broker(plugins: string): string {
  return `<beans xmlns="http://www.springframework.org/schema/beans">
<broker xmlns="http://activemq.apache.org/schema/core">
<plugins>
${plugins}
</plugins>
<transportConnectors><transportConnector name="s" uri="stomp://localhost:61613"/></transportConnectors>
</broker>
</beans>`;
}

const SIMPLE = `<simpleAuthenticationPlugin anonymousAccessAllowed="true">
  <users>
    <authenticationUser username="admin" password="secret" groups="admins, users"/>
    <authenticationUser username="app" password="pw" groups="users"/>
  </users>
</simpleAuthenticationPlugin>`;

describe('<plugins> security (ActiveMQ 5.17 simpleAuthenticationPlugin, authorizationPlugin)', () => {
  it('reads users, groups, anonymous access and the authorization map with their defaults', () => {
    const { config, diagnostics } = loadConfig(
      broker(`${SIMPLE}
<authorizationPlugin><map><authorizationMap>
  <authorizationEntries>
    <authorizationEntry queue=">" read="admins" write="admins" admin="admins"/>
    <authorizationEntry topic="ORDERS.>" read="users" write="users"/>
  </authorizationEntries>
  <tempDestinationAuthorizationEntry><tempDestinationAuthorizationEntry read="users" write="users" admin="users"/></tempDestinationAuthorizationEntry>
</authorizationMap></map></authorizationPlugin>`),
      { cwd },
    );
    expect(codes(diagnostics).filter((c) => c.includes('plugin') || c.includes('authori') || c.includes('authentication'))).toEqual([]);
    expect(config?.security).toEqual({
      authentication: {
        source: 'simpleAuthenticationPlugin',
        anonymousAccessAllowed: true,
        anonymousUser: 'anonymous',
        anonymousGroup: 'anonymous',
        users: [
          { username: 'admin', password: 'secret', groups: ['admins', 'users'] },
          { username: 'app', password: 'pw', groups: ['users'] },
        ],
      },
      authorization: {
        entries: [
          { kind: 'queue', pattern: '>', read: ['admins'], write: ['admins'], admin: ['admins'] },
          { kind: 'topic', pattern: 'ORDERS.>', read: ['users'], write: ['users'], admin: [] },
        ],
        temp: { read: ['users'], write: ['users'], admin: ['users'] },
      },
    });
  });

  it('has no security without <plugins>, as ActiveMQ lets every client in', () => {
    const { config } = loadConfig(broker(''), { cwd });
    expect(config?.security).toBeNull();
  });

  it('warns, at the attribute, about a group in the authorization map that no user is in', () => {
    const { diagnostics } = loadConfig(
      broker(`${SIMPLE}
<authorizationPlugin><map><authorizationMap><authorizationEntries>
  <authorizationEntry queue="A" read="users" write="adminz"/>
</authorizationEntries></authorizationMap></map></authorizationPlugin>`),
      { cwd },
    );
    const unknown = diagnostics.find((d) => d.code === 'authorization-unknown-group');
    expect(unknown).toMatchObject({ severity: 'warning', line: 11, message: 'write="adminz": no user is in group "adminz"' });
  });

  it('refuses an entry with both or neither of queue and topic, and a user without a password, with positions', () => {
    const { config, diagnostics } = loadConfig(
      broker(`<simpleAuthenticationPlugin><users><authenticationUser username="nopw"/></users></simpleAuthenticationPlugin>
<authorizationPlugin><map><authorizationMap><authorizationEntries>
  <authorizationEntry queue="A" topic="B" read="x"/>
  <authorizationEntry read="x"/>
</authorizationEntries></authorizationMap></map></authorizationPlugin>`),
      { cwd },
    );
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.line])).toEqual([
      ['authentication-user-incomplete', 4],
      ['authorization-entry-destination', 6],
      ['authorization-entry-destination', 7],
    ]);
    expect(config).toBeNull();
  });

  it('names every plugin it does not serve in one warning, never drops one silently', () => {
    const { diagnostics } = loadConfig(broker(`<statisticsBrokerPlugin/><timeStampingBrokerPlugin zeroExpirationOverride="1000"/>${SIMPLE}`), { cwd });
    const ignored = diagnostics.filter((d) => d.code === 'plugin-ignored');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]?.message).toBe('not served by the lab, ignored: <statisticsBrokerPlugin>, <timeStampingBrokerPlugin>');
  });

  it('warns that an authorization map without authentication refuses everybody', () => {
    const { diagnostics } = loadConfig(broker('<authorizationPlugin><map><authorizationMap/></map></authorizationPlugin>'), { cwd });
    expect(codes(diagnostics)).toContain('authorization-without-authentication');
  });
});

describe('<jaasAuthenticationPlugin> with the properties login module, as ActiveMQ ships it', () => {
  it('reads login.config beside activemq.xml and its users.properties and groups.properties', async () => {
    const dir = mkdtempSync(join(tmp, 'jaas-'));
    writeFileSync(
      join(dir, 'login.config'),
      `activemq {
    org.apache.activemq.jaas.PropertiesLoginModule required
        org.apache.activemq.jaas.properties.user="users.properties"
        org.apache.activemq.jaas.properties.group="groups.properties";
};\n`,
    );
    writeFileSync(join(dir, 'users.properties'), '# user=password\nadmin=admin\nuser=password\n');
    writeFileSync(join(dir, 'groups.properties'), 'admins=admin\nusers=admin,user\n');
    writeFileSync(join(dir, 'activemq.xml'), broker('<jaasAuthenticationPlugin configuration="activemq"/>'));
    const { config, diagnostics } = await loadConfigFile(join(dir, 'activemq.xml'), { cwd });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(config?.security?.authentication).toEqual({
      source: 'jaasAuthenticationPlugin',
      anonymousAccessAllowed: false,
      anonymousUser: 'anonymous',
      anonymousGroup: 'anonymous',
      users: [
        { username: 'admin', password: 'admin', groups: ['admins', 'users'] },
        { username: 'user', password: 'password', groups: ['users'] },
      ],
    });
  });

  it('gives a positioned error when login.config or its entry is missing', async () => {
    const dir = mkdtempSync(join(tmp, 'jaas-missing-'));
    writeFileSync(join(dir, 'activemq.xml'), broker('<jaasAuthenticationPlugin configuration="activemq"/>'));
    const missing = await loadConfigFile(join(dir, 'activemq.xml'), { cwd });
    expect(missing.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'jaas-login-config-missing', line: 4 });
    writeFileSync(join(dir, 'login.config'), 'other { org.apache.activemq.jaas.PropertiesLoginModule required; };');
    const noEntry = await loadConfigFile(join(dir, 'activemq.xml'), { cwd });
    expect(noEntry.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'jaas-entry-missing', line: 4 });
  });

  it('parses the JAAS login configuration syntax with comments', () => {
    const entries = parseLoginConfig('// comment\nactivemq { /* x */ org.apache.activemq.jaas.PropertiesLoginModule required debug=true a.b="c"; };');
    expect(entries.get('activemq')?.module).toBe('org.apache.activemq.jaas.PropertiesLoginModule');
    expect(entries.get('activemq')?.options.get('a.b')).toBe('c');
  });
});
