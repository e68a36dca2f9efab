import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { broker, cluster, fakeClient } from '../test-support/fake-client.js';
import { setLabClient } from '../stores/client.js';
import { useClusterStore } from '../stores/cluster.js';
import BrokerCard from './BrokerCard.vue';

async function mountCard(b: ReturnType<typeof broker>, responders: Parameters<typeof fakeClient>[0] = {}, linkProxies = false) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = fakeClient({ 'cluster/status': () => cluster([b], linkProxies), ...responders });
  setLabClient(fake.client);
  await useClusterStore().refresh();
  const live = useClusterStore().brokers[0]!;
  const wrapper = mount(BrokerCard, { props: { broker: live, now: Date.now(), linkProxies, promoted: false }, global: { plugins: [pinia] } });
  return { wrapper, fake };
}

const actions = (w: Awaited<ReturnType<typeof mountCard>>['wrapper']) => w.findAll('[data-action]').map((b) => b.attributes('data-action'));

describe('a broker box', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows name, role as text, pid and the open port of a master', async () => {
    const { wrapper } = await mountCard(broker('broker1', 'master', 4242));
    expect(wrapper.get('[data-testid="role"]').text()).toBe('master');
    expect(wrapper.text()).toContain('broker1');
    expect(wrapper.text()).toContain('4242');
    expect(wrapper.text()).toContain('stomp :61613 (open)');
    expect(wrapper.get('[data-testid="lease"]').text()).toContain('database lock');
  });

  it('offers only the actions that apply to the broker\'s state', async () => {
    expect(actions((await mountCard(broker('broker1', 'master'))).wrapper)).toEqual(['stop', 'kill', 'pause', 'restart', 'fail-db']);
    expect(actions((await mountCard(broker('broker1', 'stopped', null))).wrapper)).toEqual(['start']);
    expect(actions((await mountCard(broker('broker1', 'paused'))).wrapper)).toEqual(['resume', 'kill', 'fail-db']);
    expect(actions((await mountCard(broker('broker1', 'slave'), {}, true)).wrapper)).toEqual(['stop', 'kill', 'pause', 'restart', 'cut-link']);
  });

  it('sends kill -9 for this broker and shows the lab\'s refusal inside the box', async () => {
    const { wrapper, fake } = await mountCard(broker('broker1', 'master'));
    await wrapper.get('[data-action="kill"]').trigger('click');
    await flushPromises();
    expect(fake.calls).toContainEqual({ command: 'broker/kill', payload: { broker: 'broker1' } });
    expect(wrapper.get('.error').text()).toContain('no cluster');
  });
});
