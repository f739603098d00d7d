/**
 * The sidebar's layer list, read from a Neuroglancer state: one row per layer.
 */
import { NeuroglancerState } from '../neuroglancerState';

/**
 * One layer as the sidebar lists it.
 */
export interface ILayerRow {
  /** The layer's name: unique in a viewer, and how the viewer finds the layer. */
  name: string;
  /** `image`, `segmentation`, `annotation`, `mesh`…; `auto` when Neuroglancer is to guess. */
  type: string;
  /** The data source URLs, in order (a layer may combine several). */
  sources: string[];
  /** Whether the layer is drawn. */
  visible: boolean;
  /** Archived layers are kept in the state but not listed in the viewer's layer bar. */
  archived: boolean;
  /** For segmentation layers: how many segments are selected, and how many of those are shown. */
  segments?: { selected: number; visible: number };
}

/**
 * The layer specifications of a state: `layers` is an array, or (in older states) an object
 * keyed by layer name whose values are specifications or bare source URLs.
 */
export function layerSpecs(
  state: NeuroglancerState | null | undefined
): Record<string, unknown>[] {
  const layers = state?.layers;
  if (Array.isArray(layers)) {
    return layers.filter(isObject);
  }
  if (isObject(layers)) {
    return Object.entries(layers).flatMap(([name, spec]) => {
      if (typeof spec === 'string') {
        return [{ name, source: spec }];
      }
      return isObject(spec) ? [{ ...spec, name }] : [];
    });
  }
  return [];
}

/**
 * The rows of the layer list for `state`, in the viewer's order.
 */
export function layerRows(
  state: NeuroglancerState | null | undefined
): ILayerRow[] {
  return layerSpecs(state).map(spec => {
    const archived = spec.archived === true;
    const type = typeof spec.type === 'string' ? spec.type : 'auto';
    const row: ILayerRow = {
      name: typeof spec.name === 'string' ? spec.name : '',
      type,
      sources: sourceUrls(spec.source),
      visible: !archived && spec.visible !== false,
      archived
    };
    if (type === 'segmentation') {
      row.segments = segmentCounts(spec.segments);
    }
    return row;
  });
}

/**
 * The URLs of a layer's `source`: a URL, an object `{url, …}`, or an array of either.
 */
export function sourceUrls(source: unknown): string[] {
  const items = Array.isArray(source) ? source : [source];
  return items.flatMap(item => {
    if (typeof item === 'string') {
      return item ? [item] : [];
    }
    if (isObject(item) && typeof item.url === 'string' && item.url) {
      return [item.url];
    }
    return [];
  });
}

/**
 * Neuroglancer lists a layer's selected segments as ids; one prefixed with `!` is selected but
 * hidden.
 */
function segmentCounts(segments: unknown): {
  selected: number;
  visible: number;
} {
  const ids = Array.isArray(segments) ? segments : [];
  const hidden = ids.filter(
    id => typeof id === 'string' && id.startsWith('!')
  ).length;
  return { selected: ids.length, visible: ids.length - hidden };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
