/** Authentication and authorization as ActiveMQ's security plugins do them (docs/config.md, Security). */
export { SecurityPolicy } from './security-policy.js';
export type { Authentication, Right, SecurityContext } from './security-policy.js';
