import { describe, expect, it } from 'vitest';
import { resolvePlaceholders } from './placeholders.js';

const props: Record<string, string> = { 'activemq.base': '/opt/amq', 'db.host': 'pg1', env: 'prod', 'host.prod': 'pg-prod', loop: '${loop}' };
const lookup = (name: string): string | undefined => props[name];

describe('resolvePlaceholders', () => {
  it('replaces every ${name} from the lookup', () => {
    expect(resolvePlaceholders('${activemq.base}/data/${db.host}', lookup)).toEqual({ value: '/opt/amq/data/pg1', unresolved: [], circular: [] });
  });

  it('uses the default after the first colon when the name is unknown', () => {
    expect(resolvePlaceholders('${db.port:5432}', lookup).value).toBe('5432');
    expect(resolvePlaceholders('${db.host:ignored}', lookup).value).toBe('pg1');
    expect(resolvePlaceholders('${url:jdbc:sqlite:x.db}', lookup).value).toBe('jdbc:sqlite:x.db');
  });

  it('resolves nested placeholders in names and placeholders in defaults', () => {
    expect(resolvePlaceholders('${host.${env}}', lookup).value).toBe('pg-prod');
    expect(resolvePlaceholders('${missing:${activemq.base}/x}', lookup).value).toBe('/opt/amq/x');
  });

  it('reports unresolved names and leaves their text in place', () => {
    expect(resolvePlaceholders('a ${nope} b ${nope}', lookup)).toEqual({ value: 'a ${nope} b ${nope}', unresolved: ['nope'], circular: [] });
  });

  it('reports a placeholder that refers to itself instead of looping', () => {
    expect(resolvePlaceholders('${loop}', lookup).circular).toEqual(['loop']);
  });

  it('leaves text with an unclosed ${ as it is', () => {
    expect(resolvePlaceholders('cost ${ 5', lookup)).toEqual({ value: 'cost ${ 5', unresolved: [], circular: [] });
  });
});
