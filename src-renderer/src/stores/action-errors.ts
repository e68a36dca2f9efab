import { reactive } from 'vue';
import { LabCallError } from '../api/index.js';

/** Errors kept where they happened (a broker box, a form), keyed by the place, cleared on retry. */
export function createActionErrors() {
  const errors = reactive<Record<string, string>>({});
  const busy = reactive<Record<string, boolean>>({});
  async function run<T>(place: string, action: () => Promise<T>): Promise<T | undefined> {
    delete errors[place];
    busy[place] = true;
    try {
      return await action();
    } catch (error) {
      errors[place] = error instanceof LabCallError ? error.message : String((error as Error).message ?? error);
      return undefined;
    } finally {
      delete busy[place];
    }
  }
  return { errors, busy, run };
}
