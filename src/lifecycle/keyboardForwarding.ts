/**
 * JupyterLab's shortcuts from inside a Neuroglancer panel.
 *
 * Keys pressed in the viewer go to the iframe's document, which JupyterLab does not listen to,
 * so its global shortcuts (the command palette, switching tabs...) would stop working there.
 * Neuroglancer's own keys are plain letters, digits and mouse combinations; JupyterLab's global
 * shortcuts all hold Ctrl, Cmd or Alt. So a keydown with one of those modifiers is copied onto
 * the panel's node in JupyterLab's document, where JupyterLab's key bindings see it as if the
 * panel had the focus. When JupyterLab takes it (it cancels the copy), the original is cancelled
 * too, so Neuroglancer and the browser do not act on it twice; otherwise it stays with
 * Neuroglancer.
 */

const MODIFIER_KEYS = new Set([
  'Alt',
  'AltGraph',
  'Control',
  'Meta',
  'Shift',
  'OS',
  'Hyper',
  'Super'
]);

/**
 * Forward JupyterLab shortcuts from `frameWindow` (a same-origin iframe's window) to `target`.
 * Returns a function that stops forwarding.
 */
export function forwardShortcuts(
  frameWindow: Window,
  target: HTMLElement
): () => void {
  const onKeydown = (event: KeyboardEvent) => {
    if (!isShortcutCandidate(event)) {
      return;
    }
    const copy = copyKeyboardEvent(event, target.ownerDocument.defaultView);
    const taken = !target.dispatchEvent(copy);
    if (taken) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  // Capture on the window: before Neuroglancer's own handlers see the key.
  frameWindow.addEventListener('keydown', onKeydown, true);
  return () => {
    try {
      frameWindow.removeEventListener('keydown', onKeydown, true);
    } catch {
      // The page is gone already.
    }
  };
}

/**
 * Whether `event` may be a JupyterLab shortcut: a real key (not a modifier alone) pressed with
 * Ctrl, Cmd (Meta) or Alt, outside text composition.
 */
export function isShortcutCandidate(event: KeyboardEvent): boolean {
  if (event.isComposing || event.defaultPrevented) {
    return false;
  }
  if (!(event.ctrlKey || event.metaKey || event.altKey)) {
    return false;
  }
  return !MODIFIER_KEYS.has(event.key);
}

/**
 * A cancelable, bubbling copy of `event` for JupyterLab's window `view`. `keyCode` and `which`
 * are copied too: Lumino's keyboard layouts read the key from `keyCode`, which the
 * `KeyboardEvent` constructor cannot set.
 */
export function copyKeyboardEvent(
  event: KeyboardEvent,
  view: Window | null
): KeyboardEvent {
  const KeyboardEventClass =
    (view as (Window & { KeyboardEvent?: typeof KeyboardEvent }) | null)
      ?.KeyboardEvent ?? KeyboardEvent;
  const copy = new KeyboardEventClass('keydown', {
    key: event.key,
    code: event.code,
    location: event.location,
    repeat: event.repeat,
    ctrlKey: event.ctrlKey,
    shiftKey: event.shiftKey,
    altKey: event.altKey,
    metaKey: event.metaKey,
    bubbles: true,
    cancelable: true,
    composed: true
  });
  Object.defineProperty(copy, 'keyCode', { value: event.keyCode });
  Object.defineProperty(copy, 'which', { value: event.which });
  return copy;
}
