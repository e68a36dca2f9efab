import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConfigValidation } from '../../../src-main/api/contract/index.js';
import { CONFIG_TEMPLATES } from '../config-schema/templates.js';
import type { ConfigTemplate } from '../config-schema/templates.js';
import { createActionErrors } from './action-errors.js';
import { labClient } from './client.js';
import { useClusterStore } from './cluster.js';

/**
 * The XML being edited: its text, the loader's diagnostics for it (`config/validate`, the same
 * loader the brokers use), the template it came from, and applying it to the cluster.
 */
export const useConfigStore = defineStore('config', () => {
  const first = CONFIG_TEMPLATES[0]!;
  const xml = ref(first.xml);
  const fileName = ref('activemq.xml');
  const template = ref<ConfigTemplate>(first);
  const validation = ref<ConfigValidation | null>(null);
  const validatedXml = ref<string | null>(null);
  const brokers = ref(3);
  const store = ref<string>(first.store);
  const { errors, busy, run } = createActionErrors();

  const errorCount = computed(() => validation.value?.diagnostics.filter((d) => d.severity === 'error').length ?? 0);
  const warningCount = computed(() => validation.value?.diagnostics.filter((d) => d.severity === 'warning').length ?? 0);

  async function validate(text = xml.value): Promise<ConfigValidation | null> {
    const result = await run('validate', () => labClient().call('config/validate', { xml: text, brokers: brokers.value }));
    if (result && text === xml.value) {
      validation.value = result;
      validatedXml.value = text;
    }
    return result ?? null;
  }

  function useTemplate(id: string): void {
    const t = CONFIG_TEMPLATES.find((x) => x.id === id);
    if (!t) return;
    template.value = t;
    xml.value = t.xml;
    store.value = t.store === 'postgres' ? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab' : t.store;
    fileName.value = `${t.id}-activemq.xml`;
  }

  function load(name: string, text: string): void {
    fileName.value = name;
    xml.value = text;
  }

  /** Apply = replace the cluster: destroy it (files stay) and create the same size from this XML. */
  async function apply(): Promise<boolean> {
    const cluster = useClusterStore();
    const result = await run('apply', async () => {
      const checked = await labClient().call('config/validate', { xml: xml.value, brokers: brokers.value });
      validation.value = checked;
      if (!checked.ok) throw new Error('the config has errors: fix the marked lines first');
      if (cluster.status) await labClient().call('cluster/destroy');
      await cluster.adopt(() => labClient().call('cluster/create', { brokers: brokers.value, store: store.value, configXml: xml.value, configName: fileName.value, start: true }));
      return true;
    });
    return result === true;
  }

  return { xml, fileName, template, validation, validatedXml, brokers, store, errors, busy, errorCount, warningCount, validate, useTemplate, load, apply, templates: CONFIG_TEMPLATES };
});
