/**
 * What a saved state can and cannot bring back.
 */
import { NeuroglancerState } from '../neuroglancerState';

/**
 * The names of the layers of `state` whose data lived in a Python process's memory (sources
 * `python://...`: arrays shown with `show(array)`, the demo volumes). A new viewer made from the
 * state alone cannot serve them: the code that made them has to run again.
 */
export function layersFromPythonMemory(
  state: NeuroglancerState | null
): string[] {
  const layers = Array.isArray(state?.layers) ? state.layers : [];
  const names: string[] = [];
  for (const layer of layers as unknown[]) {
    if (!layer || typeof layer !== 'object') {
      continue;
    }
    const { name, source } = layer as { name?: unknown; source?: unknown };
    const sources = Array.isArray(source) ? source : [source];
    const fromPython = sources.some(item => {
      const url =
        typeof item === 'string'
          ? item
          : (item as { url?: unknown } | null)?.url;
      return typeof url === 'string' && url.startsWith('python://');
    });
    if (fromPython) {
      names.push(typeof name === 'string' ? name : '?');
    }
  }
  return names;
}
