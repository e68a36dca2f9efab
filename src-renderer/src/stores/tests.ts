import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ScenarioRunView } from '../../../src-main/api/contract/index.js';
import { createActionErrors } from './action-errors.js';
import { labClient } from './client.js';

export interface ScenarioChoice {
  name: string;
  description: string;
  text: string;
}

/** Scenarios: the built-ins, the text being edited, runs with their progress and verdicts. */
export const useTestsStore = defineStore('tests', () => {
  const scenarios = ref<ScenarioChoice[]>([]);
  const selected = ref<string | null>(null);
  const text = ref('');
  const store = ref('');
  const runs = ref<ScenarioRunView[]>([]);
  const { errors, busy, run } = createActionErrors();
  let timer: ReturnType<typeof setInterval> | null = null;

  const running = computed(() => runs.value.find((r) => r.state === 'running') ?? null);

  async function load(): Promise<void> {
    await run('load', async () => {
      scenarios.value = (await labClient().call('scenario/list')).scenarios;
      if (!selected.value && scenarios.value[0]) choose(scenarios.value[0].name);
    });
    await poll();
  }

  function choose(name: string): void {
    const s = scenarios.value.find((x) => x.name === name);
    if (!s) return;
    selected.value = name;
    text.value = s.text;
  }

  async function poll(): Promise<void> {
    const result = await run('runs', () => labClient().call('scenario/runs'));
    if (result) runs.value = result.runs;
  }

  async function start(): Promise<void> {
    await run('run', () => labClient().call('scenario/run', { text: text.value, ...(store.value ? { store: store.value } : {}) }));
    await poll();
  }

  async function reportHtml(runId: number): Promise<string | null> {
    return (await run(`html-${runId}`, () => labClient().call('scenario/report-html', { runId })))?.html ?? null;
  }

  function watch(periodMs = 500): void {
    if (timer) return;
    void load();
    timer = setInterval(() => void poll(), periodMs);
  }

  function unwatch(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return { scenarios, selected, text, store, runs, running, errors, busy, load, choose, start, poll, reportHtml, watch, unwatch };
});
