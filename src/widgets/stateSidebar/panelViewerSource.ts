/**
 * The viewer of a Neuroglancer panel, for `ViewerStateModel`: Neuroglancer's `window.viewer`
 * inside the panel's same-origin iframe, and the iframe's `load` events (the panel's reload
 * button, or the browser reloading the frame), after which there is a new viewer.
 */
import {
  INeuroglancerViewer,
  IViewerSource
} from '../../models/viewerStateModel';
import { INeuroglancerPanel } from '../../tokens';

/**
 * The `IViewerSource` of `panel`.
 */
export function panelViewerSource(panel: INeuroglancerPanel): IViewerSource {
  return {
    getViewer: () => {
      let viewer: unknown;
      try {
        viewer = (panel.viewerWindow as any)?.viewer;
      } catch {
        // Not same-origin (yet): the page is still loading.
        return null;
      }
      return isViewer(viewer) ? viewer : null;
    },
    onReload: callback => {
      const frame = panel.content.node.querySelector('iframe');
      if (!frame) {
        return () => undefined;
      }
      frame.addEventListener('load', callback);
      return () => frame.removeEventListener('load', callback);
    }
  };
}

function isViewer(value: unknown): value is INeuroglancerViewer {
  const state = (value as INeuroglancerViewer | undefined)?.state;
  return (
    typeof state?.toJSON === 'function' &&
    typeof state.restoreState === 'function' &&
    typeof state.changed?.add === 'function'
  );
}
