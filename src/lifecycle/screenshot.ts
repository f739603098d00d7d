/**
 * A PNG of what a Neuroglancer panel shows, saved as a file next to its notebook.
 *
 * Neuroglancer draws every view of a viewer into one WebGL canvas, whose pixels are only
 * readable in the task that drew them (the drawing buffer is not preserved). So the capture
 * asks the viewer to draw, then copies the canvas at once.
 */
import { PathExt } from '@jupyterlab/coreutils';
import { Contents } from '@jupyterlab/services';

/** How long to wait for the viewer to finish loading what it shows before taking the picture. */
const READY_TIMEOUT_MS = 10000;

/**
 * Why a screenshot could not be taken; the message is a sentence for the user.
 */
export class ScreenshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScreenshotError';
  }
}

interface IFrameDisplay {
  canvas: HTMLCanvasElement;
  draw(): void;
  isReady?(): boolean;
  /** Neuroglancer's views (cross-sections, 3D), each drawn in its element's part of the canvas. */
  panels?: Iterable<{ element?: HTMLElement }>;
}

type Rect = { x: number; y: number; width: number; height: number };

/**
 * The part of the canvas where `display`'s views are, in canvas pixels; `null` if unknown.
 */
export function viewsBounds(display: IFrameDisplay): Rect | null {
  const canvas = display.canvas;
  const frame = canvas.getBoundingClientRect();
  if (!frame.width || !frame.height || !display.panels) {
    return null;
  }
  const scaleX = canvas.width / frame.width;
  const scaleY = canvas.height / frame.height;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const panel of display.panels) {
    const rect = panel.element?.getBoundingClientRect();
    if (!rect || !rect.width || !rect.height) {
      continue; // a hidden view
    }
    left = Math.min(left, rect.left);
    top = Math.min(top, rect.top);
    right = Math.max(right, rect.right);
    bottom = Math.max(bottom, rect.bottom);
  }
  if (right <= left || bottom <= top) {
    return null;
  }
  const x = Math.max(0, Math.round((left - frame.left) * scaleX));
  const y = Math.max(0, Math.round((top - frame.top) * scaleY));
  return {
    x,
    y,
    width:
      Math.min(canvas.width, Math.round((right - frame.left) * scaleX)) - x,
    height:
      Math.min(canvas.height, Math.round((bottom - frame.top) * scaleY)) - y
  };
}

/**
 * The display of the viewer in `frameWindow`, or `null` if its page has not loaded.
 */
function displayOf(frameWindow: Window | null): IFrameDisplay | null {
  try {
    const display = (frameWindow as any)?.viewer?.display;
    return display?.canvas && typeof display.draw === 'function'
      ? (display as IFrameDisplay)
      : null;
  } catch {
    return null;
  }
}

/**
 * Capture the viewer of `frameWindow` as PNG; resolves to the base64 data (no `data:` prefix).
 * It waits (a little) for the visible data to load, and refuses a blank picture.
 */
export async function captureViewerPng(
  frameWindow: Window | null,
  messages: { notLoaded: string; blank: string }
): Promise<string> {
  let display = displayOf(frameWindow);
  if (!display) {
    throw new ScreenshotError(messages.notLoaded);
  }
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (display.isReady && !display.isReady() && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 200));
    display = displayOf(frameWindow);
    if (!display) {
      throw new ScreenshotError(messages.notLoaded);
    }
  }
  const source = display.canvas;
  if (!source.width || !source.height) {
    throw new ScreenshotError(messages.blank);
  }
  // Draw and copy in the same task: afterwards the WebGL drawing buffer may be cleared.
  display.draw();
  const copy = document.createElement('canvas');
  copy.width = source.width;
  copy.height = source.height;
  const context = copy.getContext('2d');
  if (!context) {
    throw new ScreenshotError(messages.blank);
  }
  context.drawImage(source, 0, 0);
  // The picture is the views (not what lies under Neuroglancer's top bars): where its panels
  // are, else what it drew (it clears the canvas to transparent).
  const bounds =
    viewsBounds(display) ??
    opaqueBounds(
      context.getImageData(0, 0, copy.width, copy.height).data,
      copy.width,
      copy.height
    );
  if (!bounds || bounds.width <= 0 || bounds.height <= 0) {
    throw new ScreenshotError(messages.blank);
  }
  const cropped = document.createElement('canvas');
  cropped.width = bounds.width;
  cropped.height = bounds.height;
  const croppedContext = cropped.getContext('2d')!;
  croppedContext.drawImage(
    copy,
    bounds.x,
    bounds.y,
    bounds.width,
    bounds.height,
    0,
    0,
    bounds.width,
    bounds.height
  );
  const picture = croppedContext.getImageData(
    0,
    0,
    bounds.width,
    bounds.height
  ).data;
  if (isUniform(picture)) {
    throw new ScreenshotError(messages.blank);
  }
  return cropped.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/**
 * The smallest rectangle holding every pixel of RGBA `pixels` (`width` × `height`) that is not
 * fully transparent; `null` when all are.
 */
export function opaqueBounds(
  pixels: ArrayLike<number>,
  width: number,
  height: number
): Rect | null {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      if (pixels[row + x * 4 + 3] !== 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return right < 0
    ? null
    : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Whether every pixel of RGBA `pixels` is the same (a blank picture).
 */
export function isUniform(pixels: ArrayLike<number>): boolean {
  for (let i = 4; i < pixels.length; i += 4) {
    if (
      pixels[i] !== pixels[0] ||
      pixels[i + 1] !== pixels[1] ||
      pixels[i + 2] !== pixels[2] ||
      pixels[i + 3] !== pixels[3]
    ) {
      return false;
    }
  }
  return true;
}

/**
 * A file name for a screenshot of viewer `name` taken at `date`:
 * `viewer-2024-05-01-143005.png` (characters that file names dislike become `_`).
 */
export function screenshotFileName(name: string, date: Date): string {
  const safe =
    name
      .trim()
      .replace(/[\\/:*?"<>|\s]+/g, '_')
      .replace(/^[._]+/, '') || 'neuroglancer';
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return `${safe}-${stamp}.png`;
}

/**
 * Save base64 PNG `content` as `fileName` in `folder` (relative to the server root), under a
 * name not taken yet; resolves to the path saved.
 */
export async function saveScreenshot(
  contents: Contents.IManager,
  folder: string,
  fileName: string,
  content: string
): Promise<string> {
  const stem = fileName.replace(/\.png$/, '');
  for (let attempt = 1; ; attempt++) {
    const name = attempt === 1 ? `${stem}.png` : `${stem}-${attempt}.png`;
    const path = folder ? PathExt.join(folder, name) : name;
    try {
      await contents.get(path, { content: false });
      continue; // taken
    } catch {
      // Free.
    }
    await contents.save(path, {
      type: 'file',
      format: 'base64',
      content
    });
    return path;
  }
}
