import type { AuthorizationConfig, SecurityConfig } from '../config/index.js';
import { wildcardMatcher, type DestinationName } from '../destination/destination-name.js';

/** Who a connection is: the user name and the groups its rights come from. */
export interface SecurityContext {
  readonly userName: string;
  readonly groups: ReadonlySet<string>;
}

export type Authentication = { kind: 'accepted'; context: SecurityContext } | { kind: 'refused'; message: string };

/** `read` subscribes, `write` sends, `admin` creates a destination the broker does not have yet. */
export type Right = 'read' | 'write' | 'admin';

/** ActiveMQ's word for each right in its refusal ("is not authorized to write to: queue://A"). */
const REFUSAL: Record<Right, string> = { read: 'read from', write: 'write to', admin: 'create' };

/** Everything is allowed: a broker without `<plugins>`, as ActiveMQ without security plugins. */
const OPEN: SecurityContext = { userName: '', groups: new Set() };

/**
 * ActiveMQ's SimpleAuthenticationBroker / JaasAuthenticationBroker and AuthorizationBroker with a
 * DefaultAuthorizationMap, over one protocol-neutral interface: the STOMP handlers (and any other
 * protocol) ask it, and use its refusal text verbatim.
 */
export class SecurityPolicy {
  private readonly passwords: ReadonlyMap<string, string>;
  private readonly groupsOf: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(private readonly config: SecurityConfig | null) {
    const users = config?.authentication?.users ?? [];
    this.passwords = new Map(users.map((u) => [u.username, u.password]));
    this.groupsOf = new Map(users.map((u) => [u.username, new Set(u.groups)]));
  }

  /** Whether any plugin is configured: without one every check passes at no cost. */
  get enabled(): boolean {
    return this.config !== null;
  }

  /**
   * CONNECT's `login` / `passcode` (OpenWire's ConnectionInfo user name and password). Without an
   * authentication plugin every client is accepted. Anonymous access needs both to be absent.
   */
  authenticate(userName: string | undefined, password: string | undefined): Authentication {
    const authentication = this.config?.authentication ?? null;
    if (authentication === null) {
      // An authorization map without authentication refuses every operation (no security context).
      return { kind: 'accepted', context: this.config === null ? OPEN : { userName: userName ?? '', groups: new Set() } };
    }
    if (authentication.anonymousAccessAllowed && userName === undefined && password === undefined) {
      return { kind: 'accepted', context: { userName: authentication.anonymousUser, groups: new Set([authentication.anonymousGroup]) } };
    }
    const expected = userName === undefined ? undefined : this.passwords.get(userName);
    if (expected === undefined || expected !== password) {
      return { kind: 'refused', message: `User name [${userName ?? 'null'}] or password is invalid.` };
    }
    return { kind: 'accepted', context: { userName: userName as string, groups: this.groupsOf.get(userName as string) ?? new Set() } };
  }

  /**
   * null when `context` may use `right` on `destination`, else ActiveMQ's refusal, e.g.
   * `User guest is not authorized to write to: queue://orders`.
   */
  check(context: SecurityContext, right: Right, destination: DestinationName): string | null {
    if (this.config === null) return null;
    const authorization = this.config.authorization;
    if (this.config.authentication === null && authorization !== null) return 'User is not authenticated.';
    if (authorization === null) return null;
    const allowed = allowedGroups(authorization, right, destination);
    if (allowed === null) return null;
    for (const group of context.groups) if (allowed.has(group)) return null;
    return `User ${context.userName} is not authorized to ${REFUSAL[right]}: ${destination.container}`;
  }
}

/**
 * The groups allowed `right` on `destination`, as DefaultAuthorizationMap: the union over every
 * entry whose pattern matches (so `>` for admins plus `ORDERS.>` for users both apply), an empty set
 * when none matches (refused); temporary destinations use the temp entry, and null (allowed) without one.
 */
function allowedGroups(authorization: AuthorizationConfig, right: Right, destination: DestinationName): ReadonlySet<string> | null {
  if (destination.temp) return authorization.temp === null ? null : new Set(authorization.temp[right]);
  const allowed = new Set<string>();
  for (const entry of authorization.entries) {
    if (entry.kind !== destination.kind || !wildcardMatcher(entry.pattern)(destination.physicalName)) continue;
    for (const group of entry[right]) allowed.add(group);
  }
  return allowed;
}
