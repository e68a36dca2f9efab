import { attribute, childElements } from './xml-tree.js';
import type { XmlAttribute, XmlElement } from './xml-tree.js';

/**
 * Spring `<bean id class>` definitions with their `<property>` values, as plain data. Which classes
 * mean something is decided by the modules that use them (data sources, placeholder configurers).
 */

export interface BeanProperty {
  name: string;
  /** One value for `value=` / `<value>`, several for `<list>` / `<array>` / `<set>`. */
  values: string[];
  /** `ref=` or `<ref bean=>`: the id of another bean. */
  ref: string | null;
  element: XmlElement;
  /** The `value=` or `ref=` attribute, for exact positions. */
  attr: XmlAttribute | undefined;
}

export interface BeanDefinition {
  id: string | null;
  className: string;
  element: XmlElement;
  properties: ReadonlyMap<string, BeanProperty>;
}

const PLACEHOLDER_CONFIGURER_CLASSES: ReadonlySet<string> = new Set([
  'org.springframework.beans.factory.config.PropertyPlaceholderConfigurer',
  'org.springframework.context.support.PropertySourcesPlaceholderConfigurer',
]);

/** Jasypt's configurer (ActiveMQ's activemq-security.xml) reads the same files; values stay `ENC(...)`. */
export const ENCRYPTED_CONFIGURER_CLASS = /^org\.jasypt\.spring\d*\.properties\.EncryptablePropertyPlaceholderConfigurer$/;

export function isPlaceholderConfigurerClass(className: string): boolean {
  return PLACEHOLDER_CONFIGURER_CLASSES.has(className) || ENCRYPTED_CONFIGURER_CLASS.test(className);
}

export function readBean(element: XmlElement): BeanDefinition {
  const properties = new Map<string, BeanProperty>();
  for (const p of childElements(element, 'property')) {
    const name = attribute(p, 'name')?.value;
    if (name !== undefined) properties.set(name, readProperty(name, p));
  }
  return {
    id: attribute(element, 'id')?.value ?? attribute(element, 'name')?.value ?? null,
    className: attribute(element, 'class')?.value ?? '',
    element,
    properties,
  };
}

function readProperty(name: string, p: XmlElement): BeanProperty {
  const valueAttr = attribute(p, 'value');
  const refAttr = attribute(p, 'ref');
  if (valueAttr) return { name, values: [valueAttr.value], ref: null, element: p, attr: valueAttr };
  if (refAttr) return { name, values: [], ref: refAttr.value, element: p, attr: refAttr };
  const values: string[] = [];
  let ref: string | null = null;
  for (const child of p.children) {
    if (child.name === 'value') values.push(child.text.trim());
    else if (child.name === 'ref') ref = attribute(child, 'bean')?.value ?? null;
    else if (child.name === 'list' || child.name === 'array' || child.name === 'set') {
      for (const v of childElements(child, 'value')) values.push(v.text.trim());
    }
  }
  return { name, values, ref, element: p, attr: undefined };
}

/** Top-level beans with an id, by id (what `#id` and `ref` point to). */
export function beansById(root: XmlElement): Map<string, BeanDefinition> {
  const byId = new Map<string, BeanDefinition>();
  for (const element of childElements(root, 'bean')) {
    const bean = readBean(element);
    if (bean.id !== null && !byId.has(bean.id)) byId.set(bean.id, bean);
  }
  return byId;
}

/** A property's single value: the first of its values, or undefined. */
export function propertyValue(bean: BeanDefinition, name: string): string | undefined {
  return bean.properties.get(name)?.values[0];
}
