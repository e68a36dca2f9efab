import { describe, expect, it } from 'vitest';
import { parseJavaProperties } from './java-properties.js';

describe('parseJavaProperties', () => {
  it('reads key=value, key: value and key value lines, skipping # and ! comments', () => {
    const props = parseJavaProperties('# comment\n! also\nactivemq.username=system\nactivemq.password: manager\nguest.password  password\n\n');
    expect([...props]).toEqual([
      ['activemq.username', 'system'],
      ['activemq.password', 'manager'],
      ['guest.password', 'password'],
    ]);
  });

  it('joins backslash-continued lines and strips the continuation indent', () => {
    expect(parseJavaProperties('list = a,\\\n       b,\\\n   c\n').get('list')).toBe('a,b,c');
  });

  it('decodes escapes in keys and values', () => {
    const props = parseJavaProperties('a\\=b = x\\ty\\u0041\nwin.path=C:\\\\data\n');
    expect(props.get('a=b')).toBe('x\tyA');
    expect(props.get('win.path')).toBe('C:\\data');
  });

  it('keeps a value that itself contains = or :', () => {
    expect(parseJavaProperties('url=jdbc:postgresql://h:5432/db?x=1').get('url')).toBe('jdbc:postgresql://h:5432/db?x=1');
  });

  it('gives an empty value for a bare key', () => {
    expect(parseJavaProperties('flag\n').get('flag')).toBe('');
  });
});
