/**
 * The sidebar's "View" section, read from a Neuroglancer state: the position with its units, the
 * layout and the cross-section scale.
 */
import { NeuroglancerState } from '../neuroglancerState';

/**
 * The layouts the sidebar offers as a switch (Neuroglancer knows more, such as `xy-3d` or nested
 * row and column layouts; those are shown but not offered).
 */
export const LAYOUTS = ['xy', 'xz', 'yz', '3d', '4panel'] as const;

/**
 * One of `LAYOUTS`.
 */
export type LayoutName = (typeof LAYOUTS)[number];

/**
 * One coordinate of the position.
 */
export interface IPositionEntry {
  /** The dimension's name, e.g. `x`. */
  name: string;
  /** The coordinate, in the dimension's own steps (voxels). */
  value: number;
  /** The size of one step, e.g. `8 nm`, or `''` for a dimensionless one. */
  step: string;
  /** The coordinate in physical units, e.g. `640 nm`, or `''` for a dimensionless one. */
  physical: string;
}

/**
 * What the "View" section shows.
 */
export interface IViewSummary {
  position: IPositionEntry[];
  /** The layout's name when it is a single name (`xy`, `4panel`, `xy-3d`…), else `custom`. */
  layout: string;
  /** Canonical voxels per screen pixel in the cross-section views, if set. */
  crossSectionScale: number | null;
  /** `crossSectionScale` as a physical length per screen pixel, e.g. `44 nm`, when known. */
  crossSectionPixel: string;
}

/** Unit prefixes from 10^-24 to 10^24, in steps of 10^3. */
const PREFIXES = [
  'y',
  'z',
  'a',
  'f',
  'p',
  'n',
  'µ',
  'm',
  '',
  'k',
  'M',
  'G',
  'T',
  'P',
  'E',
  'Z',
  'Y'
];
const NO_PREFIX_INDEX = 8;

/**
 * A quantity with an SI prefix chosen to keep the number between 1 and 1000:
 * `formatQuantity(8e-9, 'm')` → `8 nm`. A dimensionless quantity is the number alone.
 */
export function formatQuantity(value: number, unit: string): string {
  if (!unit) {
    return formatNumber(value);
  }
  if (value === 0 || !Number.isFinite(value)) {
    return `${formatNumber(value)} ${unit}`;
  }
  let exponent = Math.floor(Math.log10(Math.abs(value)) / 3);
  exponent = Math.max(-NO_PREFIX_INDEX, Math.min(NO_PREFIX_INDEX, exponent));
  let mantissa = value / 10 ** (3 * exponent);
  // 999.9996 nm rounds to "1000 nm": say "1 µm" instead.
  if (
    Math.abs(Number(mantissa.toPrecision(4))) >= 1000 &&
    exponent < NO_PREFIX_INDEX
  ) {
    exponent += 1;
    mantissa = value / 10 ** (3 * exponent);
  }
  return `${formatNumber(mantissa)} ${PREFIXES[exponent + NO_PREFIX_INDEX]}${unit}`;
}

/**
 * A number for people: at most four significant digits, no trailing zeros, no exponent for
 * everyday magnitudes.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e15) {
    return String(value);
  }
  const text = Number(value.toPrecision(4));
  return String(text);
}

/**
 * The dimensions of a state: name, scale and unit of each, in order.
 */
export function dimensionsOf(
  state: NeuroglancerState | null | undefined
): { name: string; scale: number; unit: string }[] {
  const dimensions = state?.dimensions;
  if (
    !dimensions ||
    typeof dimensions !== 'object' ||
    Array.isArray(dimensions)
  ) {
    return [];
  }
  return Object.entries(dimensions as Record<string, unknown>).flatMap(
    ([name, value]) => {
      if (!Array.isArray(value) || typeof value[0] !== 'number') {
        return [];
      }
      return [
        {
          name,
          scale: value[0],
          unit: typeof value[1] === 'string' ? value[1] : ''
        }
      ];
    }
  );
}

/**
 * What the "View" section shows for `state`.
 */
export function viewSummary(
  state: NeuroglancerState | null | undefined
): IViewSummary {
  const dimensions = dimensionsOf(state);
  const coordinates = Array.isArray(state?.position)
    ? (state!.position as unknown[])
    : [];
  const position = dimensions.map((dimension, index) => {
    const raw = coordinates[index];
    const value = typeof raw === 'number' ? raw : NaN;
    return {
      name: dimension.name,
      value,
      step: dimension.unit
        ? formatQuantity(dimension.scale, dimension.unit)
        : '',
      physical:
        dimension.unit && Number.isFinite(value)
          ? formatQuantity(value * dimension.scale, dimension.unit)
          : ''
    };
  });
  const layout =
    typeof state?.layout === 'string'
      ? state.layout
      : state?.layout && typeof state.layout === 'object'
        ? layoutName(state.layout)
        : '';
  const scale =
    typeof state?.crossSectionScale === 'number'
      ? state.crossSectionScale
      : null;
  return {
    position,
    layout,
    crossSectionScale: scale,
    crossSectionPixel: scale === null ? '' : pixelSize(scale, dimensions)
  };
}

/**
 * Whether `value` is one of the layouts the switch offers.
 */
export function isLayoutName(value: unknown): value is LayoutName {
  return (LAYOUTS as readonly unknown[]).includes(value);
}

/**
 * A layout object (`{"type": "xy", …}` or a row/column of panels) as a name.
 */
function layoutName(layout: object): string {
  const type = (layout as { type?: unknown }).type;
  return typeof type === 'string' && type !== 'row' && type !== 'column'
    ? type
    : 'custom';
}

/**
 * The physical size of a screen pixel in the cross-section views: Neuroglancer's canonical voxel
 * is the smallest step of the first three dimensions; known only when they share a unit.
 */
function pixelSize(
  scale: number,
  dimensions: { scale: number; unit: string }[]
): string {
  const spatial = dimensions.slice(0, 3);
  if (
    spatial.length === 0 ||
    !spatial[0].unit ||
    spatial.some(dimension => dimension.unit !== spatial[0].unit)
  ) {
    return '';
  }
  const canonical = Math.min(...spatial.map(dimension => dimension.scale));
  return formatQuantity(scale * canonical, spatial[0].unit);
}
