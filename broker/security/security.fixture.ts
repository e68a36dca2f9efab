import type { SecurityConfig } from '../config/index.js';

/**
 * The users and rights the STOMP and OpenWire security tests share: admin (admins) may do anything,
 * app (users) may write ORDERS.> but not create it, reader (readers) may only read ORDERS.>.
 */
export const SECURED: SecurityConfig = {
  authentication: {
    source: 'simpleAuthenticationPlugin',
    anonymousAccessAllowed: false,
    anonymousUser: 'anonymous',
    anonymousGroup: 'anonymous',
    users: [
      { username: 'admin', password: 'secret', groups: ['admins'] },
      { username: 'app', password: 'pw', groups: ['users'] },
      { username: 'reader', password: 'pw', groups: ['readers'] },
    ],
  },
  authorization: {
    entries: [
      { kind: 'queue', pattern: '>', read: ['admins'], write: ['admins'], admin: ['admins'] },
      { kind: 'queue', pattern: 'ORDERS.>', read: ['users', 'readers'], write: ['users'], admin: [] },
      { kind: 'queue', pattern: 'SCRATCH.*', read: ['users'], write: ['users'], admin: ['users'] },
    ],
    temp: null,
  },
};
